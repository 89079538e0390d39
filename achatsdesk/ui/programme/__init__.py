"""The Programme section: the year's purchase programme judged line by line."""
