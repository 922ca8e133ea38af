"""Charts and printable documents built from domain data, without Qt widgets."""
