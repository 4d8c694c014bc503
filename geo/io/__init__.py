"""Reading and writing files: demo data, boundaries, CSV and GeoJSON exports."""
