"""What every other package stands on: settings, clock, database and unit of work, errors, working
days, identifiers, and the tables of every area (`models/`)."""
