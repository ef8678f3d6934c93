"""Import of a patient's FHIR R4 Bundle (as `interop.fhir` writes it) into an organisation:
`actions.import_patient_bundle`, one module per resource family, mirroring the exporter."""
