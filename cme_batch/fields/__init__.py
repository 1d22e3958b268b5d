"""Certificate text to activity records: dates, credits, names, topics, layouts."""
