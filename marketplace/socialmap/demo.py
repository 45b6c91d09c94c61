"""Demo entries for the sociale kaart: invented but believable services of Hilversum's
partner organisations, with places, opening hours and areas; one entry not checked for a
long time and one suggested correction waiting (for the admin: its organisation has no
coordinator in the demo). Organisations that exist already (the organisations' demo) are
reused by name."""

from __future__ import annotations

from datetime import date, time, timedelta

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Address,
    Location,
    Neighbourhood,
    Organisation,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Suggestion,
)
from marketplace.socialmap.taxonomy import ensure_taxonomy, term_by_code

# name, description, website, phone
ORGANISATIONS = {
    "Humanitas Hilversum": ("Vrijwilligers helpen mensen op eigen kracht verder.",
                            "https://www.humanitas.nl", "+31351234501"),
    "De Zonnebloem afdeling Hilversum": ("Uitjes en bezoek voor mensen met een beperking.",
                                         "https://www.zonnebloem.nl", "+31351234502"),
    "Stichting Present Hilversum": ("Groepen vrijwilligers klussen bij mensen thuis.",
                                    "https://www.stichtingpresent.nl", "+31351234503"),
    "Sociaal Plein Hilversum": ("Het loket van de gemeente voor zorg, werk en inkomen.",
                                "https://www.hilversum.nl", "+31356292999"),
    "Repair Café Hilversum": ("Samen kapotte spullen repareren, met koffie.",
                              "https://www.repaircafe.org", ""),
    "Buurtvereniging De Kerkelanden": ("Bewoners organiseren activiteiten in de wijk.", "", ""),
    "Rode Kruis Gooi en Vechtstreek": ("Vrijwilligers helpen bij nood en eenzaamheid.",
                                       "https://www.rodekruis.nl", "+31351234504"),
    "Voedselbank Gooi en omstreken": ("Voedselpakketten voor huishoudens met te weinig geld.",
                                      "https://www.voedselbankgooi.nl", "+31351234505"),
    "Bibliotheek Hilversum": ("Lezen, leren en digitale hulp voor iedereen.",
                              "https://www.bibliotheekhilversum.nl", "+31351234506"),
    "VluchtelingenWerk Gooi": ("Begeleiding van statushouders bij wonen, taal en werk.",
                               "https://www.vluchtelingenwerk.nl", "+31351234507"),
    "SchuldHulpMaatje Hilversum": ("Getrainde maatjes helpen bij geldzorgen en schulden.",
                                   "https://www.schuldhulpmaatje.nl", "+31351234508"),
}
# organisation, service, term codes, neighbourhoods (empty: all), who, cost, how,
# (street, postcode, accessibility) or None, (byday, opens, closes, freq) or None
SERVICES = [
    ("Humanitas Hilversum", "Thuisadministratie", ["administratie-geld"], [],
     "Iedereen die moeite heeft met brieven, rekeningen of formulieren.", "Gratis",
     "Bel of mail; iemand van ons komt bij u thuis.", None, ("TU,TH", "09:00", "12:00")),
    ("Humanitas Hilversum", "Maatje voor ouderen", ["gezelschap"], ["Centrum", "Oost"],
     "Ouderen die zich alleen voelen.", "Gratis", "Bel ons voor een kennismaking.", None, None),
    ("Humanitas Hilversum", "Steunpunt mantelzorg", ["mantelzorg", "informatie-advies"], [],
     "Mantelzorgers die het zwaar hebben.", "Gratis",
     "Loop binnen tijdens het spreekuur of bel.",
     ("Larenseweg 30", "1221 CM", "Gelijkvloers, invalidentoilet, ringleiding."),
     ("WE", "13:30", "16:30")),
    ("De Zonnebloem afdeling Hilversum", "Uitjes en vakanties", ["ontmoeting", "vervoer"], [],
     "Mensen met een lichamelijke beperking en hun naaste.", "Een kleine eigen bijdrage",
     "Meld u aan via de website of telefoon.", None, None),
    ("De Zonnebloem afdeling Hilversum", "Bezoek aan huis", ["gezelschap"],
     ["Noordwest", "Hilversum-Noord"], "Mensen die door ziekte of beperking weinig buiten komen.",
     "Gratis", "Bel ons; wij zoeken iemand bij u in de buurt.", None, None),
    ("Stichting Present Hilversum", "Klusgroepen", ["klussen-reparatie", "wonen-huishouden"],
     [], "Mensen die het zelf niet kunnen en geen netwerk hebben, via een hulpverlener.",
     "Gratis; materiaal betaalt u zelf", "Uw wijkteam of hulpverlener meldt u aan.", None, None),
    ("Sociaal Plein Hilversum", "Loket Sociaal Plein", ["informatie-advies",
                                                       "administratie-geld"], [],
     "Alle inwoners van Hilversum.", "Gratis", "Loop binnen of maak een afspraak.",
     ("Dudokpark 1", "1217 JE", "Ingang met hellingbaan, lift, invalidentoilet."),
     ("MO,TU,WE,TH,FR", "09:00", "17:00")),
    ("Sociaal Plein Hilversum", "Hulp bij DigiD en digitale zaken", ["digitale-hulp"], [],
     "Inwoners die moeite hebben met DigiD of online formulieren.", "Gratis",
     "Kom naar het inloopspreekuur in de bibliotheek.",
     ("Vaartweg 2", "1211 JD", "Gelijkvloers, lift naar de eerste verdieping."),
     ("FR", "10:00", "12:00")),
    ("Repair Café Hilversum", "Repair Café", ["klussen-reparatie", "ontmoeting"], [],
     "Iedereen met een kapot apparaat, fiets of kledingstuk.", "Gratis; een gift mag",
     "Kom langs met uw kapotte spullen.",
     ("Kerkstraat 63", "1211 CL", "Drempel bij de ingang; hulp is er."),
     ("2SA", "10:00", "13:00", "MONTHLY")),
    ("Buurtvereniging De Kerkelanden", "Koffieochtend in de buurt", ["ontmoeting"],
     ["Zuidwest"], "Alle buurtbewoners.", "Koffie 50 cent",
     "Loop binnen, aanmelden is niet nodig.",
     ("Diependaalselaan 185", "1215 KB", "Gelijkvloers, toegankelijk met rolstoel."),
     ("MO,TH", "10:00", "11:30")),
    ("Buurtvereniging De Kerkelanden", "Samen eten", ["boodschappen-maaltijden", "ontmoeting"],
     ["Zuidwest", "Hilversum-Zuid"], "Buurtbewoners die graag samen eten.", "5 euro",
     "Meld u een week van tevoren aan.",
     ("Diependaalselaan 185", "1215 KB", "Gelijkvloers, toegankelijk met rolstoel."),
     ("3WE", "17:30", "19:30", "MONTHLY")),
    ("Humanitas Hilversum", "Thuis na opname", ["gezelschap", "boodschappen-maaltijden"], [],
     "Mensen die net uit het ziekenhuis thuiskomen en weinig hulp om zich heen hebben.",
     "Gratis", "De verpleegkundige of uw huisarts meldt u aan; zelf bellen kan ook.",
     None, None),
    ("Humanitas Hilversum", "Rouwgroep", ["gezelschap", "ontmoeting"], [],
     "Mensen die iemand hebben verloren.", "Gratis", "Bel voor een kennismakingsgesprek.",
     ("Larenseweg 30", "1221 CM", "Gelijkvloers, invalidentoilet, ringleiding."),
     ("2TU", "19:30", "21:30", "MONTHLY")),
    ("De Zonnebloem afdeling Hilversum", "Rolstoelwandelingen", ["ontmoeting", "vervoer"],
     ["Centrum", "Oost", "Zuidoost"], "Mensen in een rolstoel die graag naar buiten gaan.",
     "Gratis", "Bel ons; een vrijwilliger haalt u thuis op.", None, ("SA", "14:00", "16:00")),
    ("Stichting Present Hilversum", "Tuinklus in het voorjaar", ["klussen-reparatie"],
     ["Noordoost", "Hilversum-Noord", "Noordwest"],
     "Mensen die hun tuin niet meer zelf kunnen bijhouden.", "Gratis",
     "Uw wijkteam of hulpverlener meldt u aan.", None, None),
    ("Sociaal Plein Hilversum", "Mantelzorgwaardering en respijt", ["mantelzorg"], [],
     "Mantelzorgers in Hilversum.", "Gratis", "Vraag het aan bij het loket of online.",
     ("Dudokpark 1", "1217 JE", "Ingang met hellingbaan, lift, invalidentoilet."),
     ("MO,TU,WE,TH,FR", "09:00", "17:00")),
    ("Sociaal Plein Hilversum", "Aanpassingen in huis (Wmo)", ["wonen-huishouden"], [],
     "Inwoners die door een beperking thuis niet goed uit de voeten kunnen.",
     "Een eigen bijdrage volgens de Wmo", "Bel het Sociaal Plein voor een gesprek.",
     None, None),
    ("Repair Café Hilversum", "Fietsenwerkplaats", ["klussen-reparatie"], ["Zuidwest"],
     "Iedereen met een fiets die aandacht nodig heeft.", "Gratis; onderdelen tegen kostprijs",
     "Kom langs met uw fiets.",
     ("Diependaalselaan 185", "1215 KB", "Gelijkvloers, toegankelijk met rolstoel."),
     ("WE", "14:00", "16:00")),
    ("Buurtvereniging De Kerkelanden", "Wandelgroep", ["ontmoeting", "gezelschap"],
     ["Zuidwest", "Hilversum-Zuid"], "Buurtbewoners die graag samen wandelen.", "Gratis",
     "Verzamelen bij het buurthuis, aanmelden is niet nodig.",
     ("Diependaalselaan 185", "1215 KB", "Gelijkvloers, toegankelijk met rolstoel."),
     ("TU", "10:00", "11:00")),
    ("Rode Kruis Gooi en Vechtstreek", "Telefooncirkel", ["gezelschap"], [],
     "Alleenwonende ouderen die graag elke ochtend even gebeld worden.", "Gratis",
     "Bel ons om mee te doen.", None, ("MO,TU,WE,TH,FR,SA,SU", "09:00", "10:00")),
    ("Rode Kruis Gooi en Vechtstreek", "Boodschappenhulp bij ziekte", ["boodschappen-maaltijden"],
     [], "Mensen die tijdelijk ziek zijn en niemand hebben die boodschappen doet.", "Gratis",
     "Bel de hulplijn; wij zoeken iemand bij u in de buurt.", None, None),
    ("Rode Kruis Gooi en Vechtstreek", "Vakantieweek met zorg", ["ontmoeting"], [],
     "Mensen die zorg nodig hebben en toch op vakantie willen.", "Een eigen bijdrage",
     "Meld u aan via de website.", None, None),
    ("Voedselbank Gooi en omstreken", "Voedselpakket", ["voedsel-kleding"], [],
     "Huishoudens die na de vaste lasten te weinig overhouden voor eten.", "Gratis",
     "Een hulpverlener meldt u aan; wij kijken samen of u in aanmerking komt.",
     ("Larenseweg 120", "1221 CS", "Gelijkvloers; brengen aan huis als het niet anders kan."),
     ("TH", "13:00", "16:00")),
    ("Voedselbank Gooi en omstreken", "Kledingbank", ["voedsel-kleding"], [],
     "Huishoudens met een voedselpakket of een verwijzing.", "Gratis",
     "Kom langs met uw klantpas.",
     ("Larenseweg 120", "1221 CS", "Gelijkvloers, toegankelijk met rolstoel."),
     ("SA", "10:00", "12:00")),
    ("Bibliotheek Hilversum", "Digicafé", ["digitale-hulp"], [],
     "Iedereen met vragen over de computer, de tablet of de telefoon.", "Gratis",
     "Loop binnen met uw apparaat.",
     ("Vaartweg 2", "1211 JD", "Gelijkvloers, lift naar de eerste verdieping."),
     ("TU", "14:00", "16:00")),
    ("Bibliotheek Hilversum", "Taalcafé", ["taal", "ontmoeting"], [],
     "Iedereen die Nederlands wil oefenen.", "Gratis", "Loop binnen, aanmelden is niet nodig.",
     ("Vaartweg 2", "1211 JD", "Gelijkvloers, lift naar de eerste verdieping."),
     ("TH", "10:00", "12:00")),
    ("Bibliotheek Hilversum", "Informatiepunt Digitale Overheid", ["digitale-hulp",
                                                                   "informatie-advies"], [],
     "Inwoners met vragen over DigiD, toeslagen of de belastingdienst online.", "Gratis",
     "Kom naar het spreekuur of maak een afspraak.",
     ("Vaartweg 2", "1211 JD", "Gelijkvloers, lift naar de eerste verdieping."),
     ("MO,WE", "10:00", "12:00")),
    ("VluchtelingenWerk Gooi", "Taalmaatje", ["taal"], [],
     "Statushouders en nieuwkomers die Nederlands willen leren.", "Gratis",
     "Meld u aan via uw begeleider of bel ons.", None, None),
    ("VluchtelingenWerk Gooi", "Hulp bij post en formulieren", ["administratie-geld"], [],
     "Statushouders die brieven van instanties niet goed begrijpen.", "Gratis",
     "Kom naar het spreekuur.",
     ("Kerkstraat 63", "1211 CL", "Drempel bij de ingang; hulp is er."),
     ("MO", "13:00", "16:00")),
    ("SchuldHulpMaatje Hilversum", "Maatje bij geldzorgen", ["administratie-geld"], [],
     "Iedereen met geldzorgen of schulden die het overzicht kwijt is.", "Gratis",
     "Meld u aan via de website of bel; een maatje neemt binnen een week contact op.",
     None, None),
    ("SchuldHulpMaatje Hilversum", "Thuisadministratie op orde", ["administratie-geld"],
     ["Noordoost", "Oost", "Zuidoost"],
     "Mensen die hun papieren willen ordenen voordat er schulden komen.", "Gratis",
     "Bel ons voor een eerste gesprek.", None, None),
]
STALE_SERVICE = "Maatje voor ouderen"
SUGGESTION_SERVICE = "Repair Café"


def _organisation(name: str) -> Organisation:
    found = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
    if found is not None:
        return found
    description, website, phone = ORGANISATIONS[name]
    organisation = Organisation(name=name, description=description, website=website,
                                phone=phone, email="")
    db.session.add(organisation)
    return organisation


def _place(service: Service, place: tuple[str, str, str]) -> ServiceAtLocation:
    street, postcode, accessibility = place
    location = Location(organisation=service.organisation, name=service.organisation.name,
                        accessibility=accessibility)
    location.addresses.append(Address(address_1=street, postal_code=postcode, city="Hilversum"))
    at_location = ServiceAtLocation(location=location)
    service.at_locations.append(at_location)
    return at_location


def _hours(service: Service, at_location: ServiceAtLocation | None, hours: tuple[str, ...]) -> None:
    byday, opens, closes, *freq = hours
    service.schedules.append(Schedule(
        byday=byday, opens_at=time.fromisoformat(opens), closes_at=time.fromisoformat(closes),
        freq=freq[0] if freq else "WEEKLY", interval=1, service_at_location=at_location,
    ))


def seed_socialmap_demo(today: date) -> int:
    """Add the demo services (skipped when a demo service exists); returns how many."""
    if db.session.scalar(sa.select(Service.id).where(Service.name == SERVICES[0][1])):
        return 0
    ensure_taxonomy()
    neighbourhoods = {item.name: item for item in db.session.scalars(sa.select(Neighbourhood))}
    for index, row in enumerate(SERVICES):
        org_name, name, codes, areas, who, cost, how, place, hours = row
        service = Service(
            organisation=_organisation(org_name), name=name, eligibility_description=who,
            fees_description=cost, application_process=how,
            description=f"{name}: {ORGANISATIONS[org_name][0]}",
            last_checked_on=today - timedelta(days=400 if name == STALE_SERVICE else 7 + index),
            terms=[term_by_code(code) for code in codes],
            areas=[ServiceArea(neighbourhood=neighbourhoods[area], name=area)
                   for area in areas if area in neighbourhoods],
        )
        phone = ORGANISATIONS[org_name][2]
        if phone:
            service.phones.append(Phone(number=phone))
        db.session.add(service)
        at_location = _place(service, place) if place else None
        if hours:
            _hours(service, at_location, hours)
        if name == SUGGESTION_SERVICE:
            db.session.flush()
            db.session.add(Suggestion(service_id=service.id,
                                      message="Het Repair Café zit sinds kort in het buurthuis "
                                              "aan de Larenseweg."))
    db.session.flush()
    return len(SERVICES)
