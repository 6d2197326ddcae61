"""Readers and writers: every source of a company or scenario (YAML and JSON
files, BIA workbooks, NetBox, GraphML, MSEL spreadsheets) becomes plain data
and goes through one seam, `build`, which validates it and says where each
problem is."""
