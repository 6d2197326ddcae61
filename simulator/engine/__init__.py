"""The discrete-event engine: a compiled company played on SimPy under hazards,
injects and decisions, writing a flat stream of records. Pulled, not pushed:
the caller advances the clock."""
