import os

# openpyxl parses and writes workbooks with lxml whenever lxml is installed, and then reads
# an uploaded workbook's XML without defusedxml (entity expansion, external entities). lxml
# is installed for python-docx (the Word documents); openpyxl must not use it. This runs
# before anything imports openpyxl (settings are this package's), and no setting undoes it:
# tests/spreadsheets/test_intake.py checks openpyxl reads through defusedxml.
os.environ["OPENPYXL_LXML"] = "False"
