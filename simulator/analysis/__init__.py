"""What runs say: summaries from the records, Monte Carlo, sweeps and
sensitivities, DataFrames, terminal tables and plotly figures. Reads records;
never changes a simulation."""
