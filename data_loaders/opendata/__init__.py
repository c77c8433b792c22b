"""Open-data loaders: public sources into the indicator catalogue and values.

    python -m data_loaders.opendata cbs-kwb 85618NED_UntypedDataSet.csv
    python -m data_loaders.opendata rivm-wijk 50150NED/TypedDataSet.json
    python -m data_loaders.opendata vektis-gemeente "Vektis Open Databestand Zorgverzekeringswet 2022 - gemeente.csv"

One module per source (``cbs_kwb``, ``rivm_wijk``, ``vektis_gemeente``) turns a file into
catalogue entries and figures (``common.Batch``); ``load`` writes a batch in one audited
transaction. Buurt and wijk figures are stored per CBS code and aggregated into programme
areas at read time, by the one rule of ``dashboard.domain.aggregation``.
"""

from data_loaders.opendata import cbs_kwb, rivm_wijk, vektis_gemeente
from data_loaders.opendata.common import Source

SOURCES: dict[str, Source] = {s.key: s for s in (cbs_kwb.SOURCE, rivm_wijk.SOURCE,
                                                 vektis_gemeente.SOURCE)}
