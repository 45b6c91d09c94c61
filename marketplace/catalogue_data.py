"""The catalogue and neighbourhoods Hulppunt ships for Hilversum (editable by an admin)."""

from __future__ import annotations

# slug, name_nl, name_en, requires_vog, requires_training, escalate, recurring
CATEGORIES: list[tuple[str, str, str, bool, bool, bool, bool]] = [
    ("boodschappen", "Boodschappen", "Shopping", False, False, False, False),
    ("klusjes", "Klusjes in huis", "Odd jobs", False, False, False, False),
    ("tuin", "Tuin", "Garden", False, False, False, False),
    ("vervoer", "Vervoer of mee naar een afspraak", "A lift or company to an appointment",
     False, False, False, False),
    ("was-strijk", "Was- en strijkhulp", "Washing and ironing", False, False, False, False),
    ("digitaal", "Computer- en telefoonhulp", "Help with computer or phone",
     False, False, False, False),
    ("taal", "Taal oefenen", "Language practice", False, False, False, True),
    ("administratie", "Thuisadministratie en formulieren", "Paperwork and forms",
     True, False, False, False),
    ("bezoek", "Bezoek en gezelschap", "Visits and company", True, False, False, True),
    ("maatje", "Maatje", "Buddy", True, False, False, True),
    ("respijtzorg", "Respijtzorg (mantelzorg overnemen)", "Respite for an informal carer",
     True, True, False, True),
    ("huishoudelijke-hulp", "Huishoudelijke hulp", "Household help", False, False, True, True),
    ("woningaanpassing", "Aanpassing van de woning", "Home adaptation", False, False, True, False),
    ("zorg-24-uur", "Hulp dag en nacht", "Support day and night", False, False, True, True),
]

# Hilversum's eight neighbourhoods and the four-digit postcodes they cover.
NEIGHBOURHOODS: dict[str, list[str]] = {
    "Centrum": ["1211"],
    "Noordoost": ["1221", "1222"],
    "Oost": ["1212", "1223"],
    "Zuidoost": ["1213"],
    "Hilversum-Zuid": ["1214"],
    "Zuidwest": ["1215", "1216"],
    "Noordwest": ["1217"],
    "Hilversum-Noord": ["1218", "1403"],
}
