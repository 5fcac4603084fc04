"""Review plans (Kế hoạch), their outlines and deadlines: see the plans issue."""
