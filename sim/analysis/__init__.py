"""After-action reports (AAR/IP) and exercise packages, built from plain data and rendered.

The flow is ``AarInput`` (what was played: scenario, seed, the finished exercise, its command
log, the improvement plan, session times) → :func:`sim.analysis.model.build_aar` → ``Aar``
(one edition: players or controller) → a renderer (HTML, Markdown, JSON, PDF). Packages (the
Situation Manual, the Controller and Evaluator Handbook, the MSEL as CSV) come from the
scenario alone (:mod:`sim.analysis.pack`).

Reading an exercise's records (what caused what, how values moved) lives here too:
:mod:`sim.analysis.consequences` and :mod:`sim.analysis.history`.
"""
