"""The company model and the scenario file format: pydantic schema, commands,
conditions, the cross-file checks, the NetworkX view of a company and
synthetic companies. No simulation here: a model is data that has been checked."""
