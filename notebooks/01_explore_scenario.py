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
# # 1 · Explore a scenario
#
# A Tabletop scenario is two files: a **company file** (what depends on what, the
# buffers, recovery teams and the figures of the business impact analysis, BIA) and
# a **scenario file** (what happens to the company: hazards, scheduled injects, the
# players' options). This notebook runs one scenario once and reads the result the
# way a BCM analyst would:
#
# 1. which business processes were hit, and did they stay within their **RTO**
#    (recovery time objective, *Wiederanlaufzeit*) and **MTPD** (maximum tolerable
#    period of disruption, *maximal tolerierbare Ausfallzeit*)?
# 2. how far did each process fall below its **MBCO** (minimum business continuity
#    objective, *Notbetriebsniveau*), and for how long?
# 3. what did it cost, and when did the cost arise?
#
# The terms follow ISO 22301 and BSI-Standard 200-4. Everything runs on the
# simulator library; nothing here is written to disk.

# %%
from pathlib import Path

import pandas as pd

from simulator import (
    ActivateStandby,
    Simulation,
    asset_frame,
    evaluate_objectives,
    impact_figure,
    load_bundle,
    process_capacity_figure,
    process_frame,
    records_frame,
    stamp,
    summarize,
    text,
    timeline_figure,
)

SCENARIOS = Path("..") / "scenarios"
pd.options.display.float_format = "{:,.1f}".format
pd.options.display.width = 160

# %% [markdown]
# ## The example scenario
#
# `scenarios/example` is a small dairy with three business processes. Its scenario
# combines a 40-hour blackout, a ransomware hit on the ERP system and a packaging
# supplier's insolvency. `load_bundle` reads both files and checks them; a mistake
# in a file is reported with its file, line and field.

# %%
bundle = load_bundle(SCENARIOS / "example" / "scenario.yaml")
scenario = bundle.scenario
print(text(scenario.scenario.title, "en"))
print(text(scenario.scenario.narrative, "en"))
print(f"start {stamp(scenario.start)} ({scenario.timezone}), "
      f"horizon {scenario.horizon / 3600:g} h, seed {scenario.seed}")

# %% [markdown]
# The BIA figures of the company's business processes are what the run is judged
# against. Times are in hours; the impact is the loss per hour of a *full* outage
# (it scales with the capacity lost).


# %%
def bia_table(bundle):
    """The BIA of every business process as a table (hours, EUR per hour)."""
    rows = []
    for asset in bundle.company.assets:
        if asset.bia is None:
            continue
        bia = asset.bia
        rows.append({
            "process": asset.id,
            "name": text(asset.name, "en"),
            "RTO h": bia.rto / 3600,
            "MTPD h": bia.mtpd / 3600,
            "MBCO": bia.mbco,
            "RPO h": None if bia.rpo is None else bia.rpo / 3600,
            "EUR per hour": bia.impact_per_hour,
            "workaround": asset.workaround is not None,
        })
    return pd.DataFrame(rows).set_index("process")


bia_table(bundle)

# %% [markdown]
# ## Run it
#
# `Simulation` plays the scenario in simulated time. `run()` goes to the horizon
# in one go; a live exercise would instead `advance` step by step and apply the
# players' decisions in between. The engine writes one **record** per change:
# an asset's capacity, an inject, a restore started or finished, a buffer running
# dry. With the same scenario and seed the records are the same, in any process.

# %%
sim = Simulation(bundle)  # the scenario's seed
sim.run()
records = records_frame(sim.records)
print(f"{len(records)} records")
records.head(12)

# %%
records["event"].value_counts()

# %% [markdown]
# ## The outage timeline
#
# One row per asset that left normal operation, grouped by kind (sites and
# utilities on top, business processes at the bottom): green is up, orange
# degraded, red down. The dotted lines are injects. Hover over a bar for the
# exact times.

# %%
timeline_figure(bundle, sim.records, sim.horizon)

# %% [markdown]
# ## The process board
#
# `summarize` turns the records into the BIA figures of each process;
# `process_frame` puts them in a table (the same figures as
# `tabletop run --json`). A process **breaches its RTO** when one outage below its
# MBCO lasts longer than the RTO, and its MTPD likewise. `below_mbco_h` adds up
# all the time below the MBCO, `downtime_h` the time at zero capacity.

# %%
summary = summarize(bundle, sim.records, sim.horizon)
board = process_frame(summary, bundle)
board[["name", "first_impact_h", "below_mbco_h", "downtime_h", "rto_h", "rto_breached",
       "mtpd_h", "mtpd_breached", "data_loss_h", "impact_eur"]]

# %% [markdown]
# Reading it: milk processing is down twice. First for 16.5 h from 27 h: the fuel
# supplier fails, the generator's tank runs dry at 26.5 h, the UPS (recharged while
# the generator ran) bridges half an hour, and the plant goes dark until the
# grid is back. Then for 48 h when the packaging stock runs out. That breaches its
# 12 h RTO; the second outage lasts exactly its 48 h MTPD, reached but not exceeded.
# RTO and MTPD are judged per outage, so the 64.5 h in total count against neither.
# Dispatch breaches its RTO too. Order entry keeps its RTO: its manual workaround
# (started by the crisis team in inject m3) holds it at half capacity, above its
# MBCO of 0.4. The scenario's **exercise objectives** are evaluated against the same
# figures:

# %%
for objective in evaluate_objectives(bundle, summary):
    print(f"{objective.id:20s} {objective.check:12s} {'met' if objective.met else 'MISSED'}")

# %% [markdown]
# The assets behind it: which went down, when, and for how long.

# %%
assets = asset_frame(summary, bundle)
assets[assets.downtime_h > 0].sort_values("downtime_h", ascending=False)

# %% [markdown]
# ## Capacity against the MBCO
#
# Each process's capacity over time, with its MBCO as a dashed line of the same
# colour. Time *under* the dashed line is what counts against RTO and MTPD; a
# workaround can hold a process above it at reduced capacity.

# %%
process_capacity_figure(bundle, sim.records, sim.horizon)

# %% [markdown]
# ## Financial impact
#
# The cumulative loss of all processes. Steep stretches are where the money goes:
# that is where a measure pays off most.

# %%
impact_figure(bundle, sim.records, sim.horizon)

# %%
board["impact_eur"].sort_values(ascending=False).to_frame()

# %% [markdown]
# ## The reference dairy: a regional blackout
#
# `scenarios/dairy` models a real-sized Saxon dairy group (127 assets, 16
# processes). Its blackout scenario follows Berlin-Köpenick 2019: both 110 kV
# feeds are cut, power returns in Köpenick's stages (28.5 h and 31 h) stretched by
# a random factor — at the scenario's seed 1.41, so after about 40 h and 44 h —
# and the standby generator fails at 10 h (an injected fault).

# %%
dairy = load_bundle(SCENARIOS / "dairy" / "blackout.yaml")
blackout = Simulation(dairy)
blackout.run()
dairy_summary = summarize(dairy, blackout.records, blackout.horizon)
dairy_board = process_frame(dairy_summary, dairy)
hit = dairy_board[dairy_board.below_mbco_h > 0]
print(f"{len(hit)} of {len(dairy_board)} processes fell below their MBCO; "
      f"{int(dairy_board.rto_breached.sum())} breached their RTO, "
      f"{int(dairy_board.mtpd_breached.sum())} their MTPD; "
      f"impact {dairy_board.impact_eur.sum():,.0f} EUR")
hit[["name", "first_impact_h", "below_mbco_h", "rto_h", "rto_breached", "mtpd_h",
     "mtpd_breached", "impact_eur"]]

# %% [markdown]
# Every production process breaches its RTO, none its MTPD: the lines restart
# (with cleaning) up to 42.5 h after the cut, inside MTPDs of two days or more.
# The timeline shows the cascade: grid feeds, then telecom once the batteries are
# empty, then the plant, IT and the processes.

# %%
timeline_figure(dairy, blackout.records, 60 * 3600)  # the first 60 hours

# %%
process_capacity_figure(dairy, blackout.records, blackout.horizon)

# %% [markdown]
# ## One decision, replayed
#
# The engine is *pulled*: play to a time, apply a decision, play on. Here the
# crisis team orders the rental generator (`rent_generator`, one of the scenario's
# player actions) 2 hours into the blackout. It arrives 12 hours later and carries
# the emergency loads while the plant's own generator is broken.

# %%
action = next(a for a in dairy.scenario.actions if a.id == "rent_generator")
print(text(action.title, "en"), "→", [c.model_dump(exclude_none=True) for c in action.do])
assert action.do == [ActivateStandby(action="activate_standby", asset="rental_generator")]

with_rental = Simulation(dairy)
with_rental.advance(int(2.5 * 3600))  # the cut comes at 30 min
for command in action.do:
    with_rental.apply(command)
with_rental.run()
rental_board = process_frame(summarize(dairy, with_rental.records, with_rental.horizon), dairy)

compare = pd.DataFrame({
    "below MBCO h, plain": dairy_board.below_mbco_h,
    "below MBCO h, rental": rental_board.below_mbco_h,
    "impact EUR, plain": dairy_board.impact_eur,
    "impact EUR, rental": rental_board.impact_eur,
})
compare[compare.iloc[:, 0] > 0]

# %% [markdown]
# The rental generator changes little for the processes: the production lines are
# not on emergency power at all, so they wait for the grid either way. What the
# generator protects are assets (cold store, silos, IT), which shows in the asset
# table:

# %%
assets_plain = asset_frame(dairy_summary, dairy)
assets_rental = asset_frame(summarize(dairy, with_rental.records, with_rental.horizon), dairy)
delta = pd.DataFrame({"name": assets_plain.name, "down h, plain": assets_plain.downtime_h,
                      "down h, rental": assets_rental.downtime_h})
delta[delta["down h, plain"] != delta["down h, rental"]]

# %% [markdown]
# **Next:** a single run is one story. Restore times and attack paths are random,
# so the next notebook (`02_monte_carlo.py`) runs a scenario many times and asks how
# *likely* each breach is.
