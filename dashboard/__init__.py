"""Domain logic, data access, formatting, roles and UI helpers of the dashboard."""
