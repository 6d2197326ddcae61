# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2 · How likely is a breach? Monte Carlo
#
# A single run tells one possible course of an incident. Many figures in a
# scenario are uncertain and are written as distributions: restore times
# ("between 4 and 16 hours, most likely 8"), the attacker's path through the
# network, a delivery that may or may not come through. **Monte Carlo** runs the
# same scenario many times (*replications*), each with its own random draws, and
# counts: in how many replications did a process breach its RTO or its MTPD?
#
# The share of replications is an *estimate* of the probability, so every figure
# comes with a **95% confidence interval** (Wilson score interval: sound also
# near 0 % and 100 %). For BCM this turns "will we make the RTO?" into a figure a
# management board can weigh against the cost of a measure, as ISO 22301
# (clause 8.2.3, risk assessment) and BSI-Standard 200-4 ask for.
#
# Reproducible: replication *i* always draws from the same random streams, so a
# result depends only on the scenario, the base seed and *n* — not on how many
# processor cores did the work.

# %%
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from simulator import load_bundle, monte_carlo, outcomes_frame, stats_frame
from simulator.analysis.plots import (
    breach_probability_figure,
    convergence_figure,
    downtime_distribution_figure,
    running_breach_estimate,
)

SCENARIOS = Path("..") / "scenarios" / "dairy"
SEED = 2026  # any base seed; keep it to reproduce the figures
pd.options.display.float_format = "{:,.3f}".format
pd.options.display.width = 160

# %% [markdown]
# ## The reference blackout
#
# The blackout of the reference dairy follows Berlin-Köpenick 2019: power comes
# back in Köpenick's stages (half after 28.5 h, all after 31 h), stretched by a
# random factor — in half the replications shorter than Köpenick, in one of a
# hundred longer than the 5 days of the Münsterland 2005 ice storm (the scenario
# file cites the sources). We run 200 replications on all available cores.

# %%
blackout = load_bundle(SCENARIOS / "blackout.yaml")
result = monte_carlo(blackout, n=200, seed=SEED)
stats = stats_frame(result)
stats.loc[stats.p_rto_breach > 0, ["p_rto_breach", "p_rto_breach_lo", "p_rto_breach_hi",
                                   "p_mtpd_breach", "p_mtpd_breach_hi", "below_mbco_h_p50",
                                   "below_mbco_h_p90"]]

# %%
breach_probability_figure(result, bundle=blackout)

# %% [markdown]
# The RTO breaches are close to certain: even a blackout half as long as
# Köpenick's stops the lines for longer than their RTOs of 8–24 hours. The MTPD
# breaches are not: they happen in the replications where the grid stays out
# for two days or more, so their probability is the share of long blackouts.
# The total impact spreads accordingly:

# %%
outcomes = outcomes_frame(result)
total = outcomes.groupby("replication")["impact_eur"].sum()
print(f"total impact: P10 {total.quantile(0.1):,.0f} EUR, P50 {total.quantile(0.5):,.0f}, "
      f"P90 {total.quantile(0.9):,.0f}, max {total.max():,.0f}")

# %% [markdown]
# The random figures here are the grid's return and the repair time of the broken
# standby generator (4–16 h). The repair changes how long the cold store and the
# IT are without power but no business process: the production lines are not on
# emergency power and wait for the grid in any case. The grid decides.
#
# An interval is honest about zero, too: a process the blackout hits that never
# breached its MTPD in 200 replications may still breach it. The upper end of
# its interval, about 3/n (the "rule of three"), is the most the probability can
# be at 95 % confidence:

# %%
never = stats[(stats.p_rto_breach > 0) & (stats.p_mtpd_breach == 0)]
name = never.index[0]
upper = never.loc[name, "p_mtpd_breach_hi"]
print(f"P(MTPD breach) of {name} ≤ {upper:.1%} (3/n = {3 / result.n:.1%})")

# %% [markdown]
# ## Ransomware through Active Directory
#
# The ransomware scenario is genuinely random: the attacker spreads from host to
# host after exponentially distributed times (mean 6 h), so it is a matter of
# chance which servers and control systems are encrypted at detonation, and the
# restores (forensic rebuild, AD, ERP, MES, ...) take random times in a queue for
# a few recovery teams. We run 400 replications.

# %%
ransomware = load_bundle(SCENARIOS / "ransomware.yaml")
rw = monte_carlo(ransomware, n=400, seed=SEED)
rw_stats = stats_frame(rw)
rw_stats[["p_rto_breach", "p_mtpd_breach", "p_mtpd_breach_lo", "p_mtpd_breach_hi",
          "downtime_h_p50", "downtime_h_p90", "impact_eur_mean"]]

# %%
breach_probability_figure(rw, bundle=ransomware)

# %% [markdown]
# Reading the bars: most processes breach their MTPD in (almost) every
# replication, because the Active Directory, the ERP and the MES are common
# causes. The interesting ones are in between. **Raw milk intake** breaches its
# two-day MTPD in about two replications out of three: the attacker reaches the
# Leppersdorf process control system (SCADA) through the jump host every time, and
# whether the milk reception is back within 48 hours depends on how long the two
# OT engineers take to rebuild it (1–4 days, most likely 2). Invoicing and
# maintenance breach in about one replication in five. For those processes a
# measure can change the odds; for the others it must change the outcome.
#
# How the downtime spreads, per process:

# %%
downtime_distribution_figure(rw, bundle=ransomware)

# %% [markdown]
# And for raw milk intake alone: its time below the MBCO against its RTO (8 h) and
# MTPD (48 h) as dashed lines. Every replication right of the MTPD line is a
# breach; the spread is the spread of the SCADA rebuild.

# %%
downtime_distribution_figure(rw, "raw_milk_intake", metric="below_mbco_h", bundle=ransomware)

# %% [markdown]
# The financial view: the total impact of all processes per replication. Its
# 95th percentile is a "bad but plausible" loss, the figure to set against the
# cost of a measure or an insurance cover.

# %%
rw_total = outcomes_frame(rw).groupby("replication")["impact_eur"].sum()
print(f"mean {rw_total.mean():,.0f} EUR, P50 {rw_total.quantile(0.5):,.0f}, "
      f"P95 {rw_total.quantile(0.95):,.0f}, max {rw_total.max():,.0f}")
go.Figure(go.Histogram(x=rw_total, nbinsx=30, marker={"color": "#1f3b73"})).update_layout(
    title="Ransomware: total impact per replication",
    xaxis_title="EUR", yaxis_title="replications",
)

# %% [markdown]
# ## How large must *n* be?
#
# The estimate settles as replications accumulate. The convergence plot shows the
# running estimate of P(MTPD breach) of raw milk intake after each replication,
# with its 95 % interval as a band.

# %%
convergence_figure(rw, "raw_milk_intake", bundle=ransomware)

# %% [markdown]
# The interval narrows with 1/√n: to halve it, quadruple *n*. Its width at a few
# sizes:

# %%
running = pd.DataFrame(running_breach_estimate(rw, "raw_milk_intake"),
                       columns=["n", "estimate", "low", "high"]).set_index("n")
running["width"] = running.high - running.low
running.loc[[25, 50, 100, 200, 400]]

# %% [markdown]
# A rule of thumb for a probability near *p*, to within ± *h* at 95 % confidence:
# n ≈ 1.96² · p (1 − p) / h². For p ≈ 0.5 that is about 100 replications for
# ± 10 points, 400 for ± 5 and 10,000 for ± 1. Rare events need more: to show
# that a probability is below 1 % without a single breach takes about 300
# replications, below 0.1 % about 3,000.

# %%
for h in (0.10, 0.05, 0.02, 0.01):
    print(f"± {h:.0%}: n ≈ {1.96 ** 2 * 0.25 / h ** 2:,.0f}")

# %% [markdown]
# This notebook keeps *n* small (200 and 400) so that it runs in seconds. A real
# study uses 2,000–10,000 replications: a replication of the reference dairy takes
# a few milliseconds, so that is seconds to a minute on a laptop's cores, or more
# on a Dask cluster:
#
# ```python
# from dask.distributed import Client, LocalCluster
# with LocalCluster(n_workers=8, threads_per_worker=1) as cluster, Client(cluster) as client:
#     big = monte_carlo(ransomware, n=10_000, seed=SEED, executor=client.get_executor())
# ```
#
# The command line does the same: `tabletop montecarlo scenarios/dairy/ransomware.yaml
# -n 10000 --csv outcomes.csv`.
#
# ## Same seed, same answer
#
# The replications do not depend on the number of worker processes: one worker
# and all cores give identical outcomes.

# %%
one = monte_carlo(ransomware, n=40, seed=SEED, workers=1)
print("identical:", one.outcomes == rw.outcomes[: len(one.outcomes)])

# %% [markdown]
# **Next:** `03_tune_mitigation.py` changes the company model in code — more fuel,
# more stock — and searches for the smallest measure that meets a target
# probability.
