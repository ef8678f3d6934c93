"""HL7 FHIR R4 export of a patient's record.

Resources are built as plain FHIR JSON by small functions per resource family, collected
into one Bundle by `bundle.patient_bundle`, and checked by the ``fhir.resources`` models
(its R4B package: R4's resources with the same structure) before they leave.
"""
