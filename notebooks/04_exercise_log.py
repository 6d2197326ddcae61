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
# # 4 · After the exercise: replay the log, weigh the result
#
# An exercise is only as useful as its evaluation: ISO 22301 (clause 8.5) asks
# for exercises that produce post-exercise reports with outcomes and
# recommendations, and BSI-Standard 200-4 ends every exercise with an
# *Auswertung*. Tabletop's live server keeps a **command log** of each exercise:
# the scenario, the seed and every accepted command with its simulated time
# (download it from `GET /api/exercises/{id}/log`). Scenario + seed + log
# reproduce the exercise record for record, so after the session we can
#
# 1. replay the exercise exactly and read its outcome;
# 2. compare it with the **same dice without the decisions**: what did the crisis
#    team's decisions change?
# 3. set it against the **Monte Carlo distribution** of the scenario: was the
#    result typical, lucky or unlucky?
#
# The log used here, `data/exercise-log.jsonl`, comes from a scripted run of the
# ransomware scenario (`data/make_log.py` wrote it by driving the engine the way
# the server does). A log downloaded from a real exercise is read the same way.

# %%
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from simulator import (
    Simulation,
    monte_carlo,
    outcomes_frame,
    process_capacity_figure,
    process_frame,
    read_log,
    replay,
    replication_seed,
    stats_frame,
    summarize,
    timeline_figure,
)

LOG = Path("data") / "exercise-log.jsonl"
pd.options.display.width = 160
pd.options.display.max_colwidth = 70

# %% [markdown]
# ## Read the log
#
# The log is JSON Lines: the first line is a header with the scenario (the whole
# bundle: scenario and company), the exercise's seed, the engine version that
# wrote it and a checkpoint of its records; every further line is one command
# that the server accepted, with `sim_time` in seconds from the scenario start.
# `read_log` checks every line against the log's types.

# %%
header, entries = read_log(LOG.read_text(encoding="utf-8"))
print(header.model_dump(exclude={"bundle"}))
log = pd.DataFrame([e.to_dict() for e in entries])
log.insert(2, "t_h", log.sim_time / 3600)
log[["seq", "t_h", "actor", "kind", "payload"]]

# %% [markdown]
# The kinds of entry:
#
# - `clock`: the facilitator started, paused, sped up or jumped the clock;
# - `msel` / `release`: a scheduled inject of the scenario's MSEL (master scenario
#   events list) was played, by the server when it fell due or early by the
#   facilitator; `skip` and `delay` only change the schedule;
# - `inject`: the facilitator's own inject, a hazard, an engine command or a
#   message;
# - `decision`: the players chose one of the scenario's actions or wrote a free
#   decision; `proposal` and `accept` / `reject` are decisions that needed the
#   facilitator's approval;
# - `observation`: the facilitator's notes for the report.
#
# What the crisis team decided, and when:

# %%
log[log.kind.isin(["decision", "proposal", "accept"])][["t_h", "actor", "kind", "payload"]]

# %% [markdown]
# ## Replay it
#
# The live server drives one object, `simulator.exercise.session.Exercise`: it
# plays the engine to each entry's simulated time and applies the entry. A
# replay drives the same object with the same entries, so its records are the
# live ones, record for record. Decisions that name a scenario action apply that
# action's commands; clock, skip, delay, reject and observation entries change
# nothing in the model.

# %%
bundle = header.bundle
assert bundle is not None
exercise = replay(header, entries)
live = exercise.sim
print(f"replayed to {live.now / 3600:g} h: {len(live.records)} records")
assert exercise.checkpoint() == header.checkpoint  # exact to the record

# %% [markdown]
# The session ended after 7 simulated days, the scenario's horizon is 28 days.
# To judge the result we play on to the horizon with no further commands: the
# recovery continues as the team left it.

# %%
live.run()
live_board = process_frame(summarize(bundle, live.records, live.horizon), bundle)
live_total = live_board.impact_eur.sum()
print(f"MTPD breached by {int(live_board.mtpd_breached.sum())} of {len(live_board)} processes, "
      f"impact {live_total:,.0f} EUR")
live_board[["name", "below_mbco_h", "rto_breached", "mtpd_breached", "impact_eur"]]

# %%
timeline_figure(bundle, live.records, 14 * 24 * 3600)  # the first two weeks

# %%
process_capacity_figure(bundle, live.records, live.horizon)

# %% [markdown]
# ## The same dice without the decisions
#
# The engine draws its random numbers from one stream per source (the attacker,
# each restore, ...), seeded from the exercise's seed. A plain run with the same
# seed and the MSEL playing by itself therefore meets the same attacker and the
# same restore times, but no decisions. The difference is what the team's
# decisions did.

# %%
plain = Simulation(bundle, header.seed)
plain.run()
plain_board = process_frame(summarize(bundle, plain.records, plain.horizon), bundle)
effect = pd.DataFrame({
    "name": live_board.name,
    "below MBCO h, no decisions": plain_board.below_mbco_h,
    "below MBCO h, exercise": live_board.below_mbco_h,
    "MTPD breached, no decisions": plain_board.mtpd_breached,
    "MTPD breached, exercise": live_board.mtpd_breached,
    "EUR saved": plain_board.impact_eur - live_board.impact_eur,
})
effect.round(1)

# %%
print(f"impact without decisions {plain_board.impact_eur.sum():,.0f} EUR, "
      f"with them {live_total:,.0f} EUR: "
      f"{1 - live_total / plain_board.impact_eur.sum():.0%} less")

# %% [markdown]
# The workarounds (manual order entry, paper dispatch and release, manual
# production scheduling) and the cloud DR site carry the processes that would
# otherwise wait for the ERP and the MES. The MTPD breaches that remain have
# causes no workaround covers: raw milk intake and yoghurt production wait for the
# Leppersdorf process control system (their MTPD is two days), and the head-office
# processes wait for their rebuilt PCs.
#
# ## Against the Monte Carlo distribution
#
# One seed is one roll of the dice. Monte Carlo shows the whole range of the
# scenario **without** decisions; replaying the log on many seeds shows the range
# **with the team's decisions**. 300 replications each keep this notebook quick;
# a report would use a few thousand.

# %%
N = 300
SEED = 99
baseline = monte_carlo(bundle, n=N, seed=SEED)
baseline_total = outcomes_frame(baseline).groupby("replication").impact_eur.sum()

with_decisions = []
for i in range(N):
    sim = replay(header, entries, seed=replication_seed(SEED, i)).sim
    sim.run()
    summary = summarize(bundle, sim.records, sim.horizon)
    with_decisions.append({"replication": i, **{p.id: p.mtpd_breached for p in summary.processes},
                           "impact_eur": sum(p.impact_eur for p in summary.processes)})
with_decisions = pd.DataFrame(with_decisions).set_index("replication")

# %%
fig = go.Figure()
fig.add_trace(go.Histogram(x=baseline_total, name="no decisions", opacity=0.6, nbinsx=40))
fig.add_trace(go.Histogram(x=with_decisions.impact_eur, name="the team's decisions",
                           opacity=0.6, nbinsx=40))
fig.add_vline(x=live_total, line={"color": "black", "dash": "dash"},
              annotation_text="the exercise")
fig.update_layout(barmode="overlay", title="Ransomware: total impact per replication",
                  xaxis_title="EUR", yaxis_title="replications")

# %% [markdown]
# Where the exercise falls, as a percentile (the share of replications with a
# lower impact):

# %%
lucky = (with_decisions.impact_eur < live_total).mean()
typical = (baseline_total < live_total).mean()
print(f"among runs with the same decisions: {lucky:.0%} of them cost less")
print(f"among runs without decisions:       {typical:.0%} of them cost less")
print(f"median impact: {baseline_total.median():,.0f} EUR without decisions, "
      f"{with_decisions.impact_eur.median():,.0f} EUR with them")

# %% [markdown]
# How to read it: the decisions shift the whole distribution (compare the two
# medians): that part is the team's doing, **skill**. Where the exercise sits
# *within* the distribution of its own decisions is **luck**: the attacker's
# path and the restore times. A result near the middle says the exercise showed
# the typical outcome of what the team did; near either end, that the dice were
# unusual and the lessons should not lean on the exact figures.
#
# The same per process: did the process breach its MTPD in the exercise, and how
# likely is a breach with and without the team's decisions?

# %%
baseline_stats = stats_frame(baseline)
per_process = pd.DataFrame({
    "name": live_board.name,
    "breached in the exercise": live_board.mtpd_breached,
    "P(breach), same decisions": with_decisions[live_board.index].mean(),
    "P(breach), no decisions": baseline_stats.p_mtpd_breach,
})
per_process.round(2)

# %% [markdown]
# A breach with a low probability under the team's decisions was bad luck; a
# process that breaches in nearly every replication even with the decisions
# needs a measure that the exercise did not have (a workaround for the milk
# intake, faster restores for the head-office clients): material for the
# recommendations of the post-exercise report.
