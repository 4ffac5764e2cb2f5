"""Date and number formats: dd/mm/yyyy in every language, as Vietnamese users expect."""
