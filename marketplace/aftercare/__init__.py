"""Aftercare: after the planned date both sides say whether the help happened; the
coordinators get follow-up tasks when it did not, was not confirmed, was rated low, when a
concern comes in or recurring help goes quiet; waakvlam check-ins follow vulnerable
residents in a staged rhythm."""
