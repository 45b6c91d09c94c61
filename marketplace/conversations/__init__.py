"""Messages within an accepted match, between the resident's side and the volunteer."""
