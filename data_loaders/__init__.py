"""Database engine, schema, migrations, demo seed and importers (no Streamlit here)."""
