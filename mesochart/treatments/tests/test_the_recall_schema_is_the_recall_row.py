"""The recall's API rows name every column the recall reads, with its type: `RecallRowOut`
is written out for the OpenAPI document, and this holds it to `recall.RecallRow`, so a
column added to the recall cannot be dropped from the API answer."""

from typing import get_type_hints

from mesochart.treatments.recall import RecallRow
from mesochart.treatments.schemas import RecallRowOut


def test_the_api_row_has_every_column_of_the_recall_with_its_type():
    columns = get_type_hints(RecallRow)
    fields = {name: field.annotation for name, field in RecallRowOut.model_fields.items()}
    assert fields == columns
