"""Area registry and geometry (no Streamlit here)."""
