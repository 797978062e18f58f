"""The programme's work-plan activities, with the participants each planned and reached."""
