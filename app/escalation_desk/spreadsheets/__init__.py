"""Spreadsheet reading and writing (python-calamine, openpyxl) and file-safety checks."""
