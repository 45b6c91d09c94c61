"""The read-only HSDS 3.0 API of the sociale kaart (``/api/hsds/``) and the HSDS import."""
