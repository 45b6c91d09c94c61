"""The sociale kaart: a public directory of the services of the partner organisations."""
