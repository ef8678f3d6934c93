"""The one error a backup or restore raises: the field it concerns and the rule broken."""


class BackupError(Exception):
    def __init__(self, field: str, rule: str):
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule
