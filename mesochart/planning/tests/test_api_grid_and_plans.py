"""The planning API: area templates with geometry, grids, schedules, and a plan's life."""

from mesochart.testing.plans import ApiCaller, protocol

BUILT_ONCE = True  # mesochart.testing.shared: the practice is built once for the module


def test_area_templates_come_with_geometry_in_cm(practice):
    areas = ApiCaller(practice.nurse).get("/areas").json()
    views = {view["slug"]: view for view in areas}
    assert set(views) == {
        "face-front",
        "face-left",
        "face-right",
        "neck-submental",
        "body-front",
        "body-back",
        "scalp-top",
    }
    submental = next(r for r in views["neck-submental"]["regions"] if r["slug"] == "submental")
    (band,) = submental["exclusions"]
    assert band["kind"] == "band" and band["width_cm"] == 1.5
    assert "NDA 206333" in band["source"]


def test_a_grid_for_a_measured_abdomen(practice):
    caller = ApiCaller(practice.nurse)
    body = {
        "view": "body-front",
        "region": "abdomen",
        "spacing_cm": 2,
        "scale": {"width_cm": 30, "height_cm": 20},
    }
    grid = caller.post("/grid", body).json()
    xs = [p[0] for p in grid["points"]]
    assert grid["count"] == grid["capacity"] == len(grid["points"]) > 80
    assert max(xs) - min(xs) <= 30


def test_grid_errors_name_the_field_and_rule(practice):
    caller = ApiCaller(practice.nurse)
    response = caller.post(
        "/grid",
        {"view": "body-front", "region": "abdomen", "spacing_cm": 2, "scale": {"width_cm": 30}},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "scale.height_cm: is needed with the other measurement"
    response = caller.post("/grid", {"view": "body-front", "region": "nose", "spacing_cm": 1})
    assert response.json()["detail"] == "region: no region 'nose' in view 'body-front'"


def _body_contouring_plan(practice, caller, version):
    return caller.post(
        "/plans",
        {
            "patient": practice.patient.pk,
            "indication": "body_contouring",
            "protocol": protocol("lipolysis-pcdc").pk,
            "cocktail_version": version.pk,
        },
    )


def test_a_plan_through_the_api(practice, pcdc_version):
    caller = ApiCaller(practice.practitioner)
    created = _body_contouring_plan(practice, caller, pcdc_version)
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["title"] == "Injection lipolysis: phosphatidylcholine/deoxycholate"
    regions = {
        "version": plan["version"],
        "regions": [
            {
                "view": "body-front",
                "region": "abdomen",
                "width_cm": 30,
                "height_cm": 20,
                "spacing_cm": 2,
                "volume_ml": 0.2,
                "depth_mm": 4,
                "points": [[0, 95], [2, 95], [4, 95, None, 0.3]],
            }
        ],
    }
    saved = caller.post(f"/plans/{plan['id']}/regions", regions, method="put")
    assert saved.status_code == 200, saved.content
    check = caller.post(f"/plans/{plan['id']}/check", {}).json()
    assert (check["points"], check["volume_ml"]) == (3, 0.7)
    stale = caller.post(f"/plans/{plan['id']}/regions", regions, method="put")
    assert stale.status_code == 422
    assert stale.json()["errors"][0]["field"] == "version"


def test_unknown_products_in_a_schedule_are_named(practice):
    response = ApiCaller(practice.nurse).post(
        "/schedule",
        {
            "first_date": "2026-03-02",
            "protocol": protocol("lipolysis-pcdc").pk,
            "products": ["pcdc-lipolysis", "unicorn"],
        },
    )
    assert response.json()["detail"] == "products: unknown product(s) unicorn"


def test_two_points_on_one_spot_are_named_not_a_server_error(practice, pcdc_version):
    caller = ApiCaller(practice.practitioner)
    plan = _body_contouring_plan(practice, caller, pcdc_version).json()
    regions = {
        "version": plan["version"],
        "regions": [
            {
                "view": "body-front",
                "region": "abdomen",
                "spacing_cm": 2,
                "volume_ml": 0.2,
                "depth_mm": 4,
                "points": [[0, 95], [2, 95], [2, 95]],
            }
        ],
    }
    assert caller.post(f"/plans/{plan['id']}/regions", regions, method="put").status_code == 200
    check = caller.post(f"/plans/{plan['id']}/check", {})
    assert check.status_code == 200
    assert check.json()["blocked"] is True
    assert check.json()["problems"] == [
        "points: two points are at the same place (under 0.1 mm apart): move or remove one"
    ]
