"""Informal carers (mantelzorgers): the self-check, the carer profile, the overload check,
respite as matchable help, and the carers' indicators."""
