"""A realistic, seeded demo workbook that tests, docs and newcomers share."""
