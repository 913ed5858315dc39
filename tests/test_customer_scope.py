"""Finding the customer scope: explicit choice, auto-detection, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import bpmn_cx
from bpmn_cx.customer import (
    AmbiguousCustomer,
    CustomerError,
    CustomerNotFound,
    effective_lane,
    find_customer,
    normalize_name,
)
from helpers.bpmn_text import HEAD, lanes_doc

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "examples" / "credit-inquiry.bpmn"


def model_with_lanes(*names: str) -> bpmn_cx.Model:
    lanes = [(f"Lane_{i}", name, [f"T{i}"]) for i, name in enumerate(names)]
    nodes = [(f"T{i}", "task") for i in range(len(names))]
    return bpmn_cx.load(lanes_doc(lanes, nodes, []))


def test_the_bundled_example_finds_its_customer_lane() -> None:
    scope = find_customer(bpmn_cx.load(EXAMPLE))
    assert [lane.id for lane in scope.lanes] == ["Lane_Customer"]
    assert scope.participants == []
    assert scope.source == "auto"
    assert scope.label == "Customer"


@pytest.mark.parametrize(
    "name",
    ["Customer", "CUSTOMER", "  customer\n", "Kunde", "Kundin", "Gast", "Cliente", "Klant", "Patient",
     "Patiënt", "Policyholder", "Passenger", "Bürger", "Citoyen", "Applicant", "Guest", "Client",
     "Consumer", "Buyer", "Citizen", "顧客", "Клиент", "(Customer)"],
)
def test_whole_role_names_are_detected_in_many_languages(name: str) -> None:
    scope = find_customer(model_with_lanes("Back office", name))
    assert [lane.id for lane in scope.lanes] == ["Lane_1"]


@pytest.mark.parametrize(
    "name",
    ["Private Customer Account Manager", "Customer service", "Customer onboarding", "Kundenservice",
     "Clientele manager", "Guest relations", "Patient transport"],
)
def test_names_that_merely_contain_a_role_are_not_the_customer(name: str) -> None:
    with pytest.raises(CustomerNotFound) as info:
        find_customer(model_with_lanes("Back office", name))
    message = str(info.value)
    # The message lists what was seen, so the user can pick with --customer.
    assert name.split()[0] in message
    assert "Back office" in message
    assert "--customer" in message


def test_no_pools_and_no_lanes_says_so() -> None:
    data = (HEAD + '<bpmn:process id="P"><bpmn:task id="T"/></bpmn:process></bpmn:definitions>').encode()
    with pytest.raises(CustomerNotFound, match="no pools and no lanes"):
        find_customer(bpmn_cx.load(data))


def test_two_different_roles_are_ambiguous_and_listed() -> None:
    with pytest.raises(AmbiguousCustomer) as info:
        find_customer(model_with_lanes("Customer", "Teller", "Patient"))
    error = info.value
    assert len(error.candidates) == 2
    assert "'Customer'" in str(error) and "'Patient'" in str(error)
    assert isinstance(error, CustomerError)


def test_the_same_role_in_two_places_is_one_scope() -> None:
    data = (
        HEAD
        + '<bpmn:process id="P1"><bpmn:laneSet id="A"><bpmn:lane id="C1" name="Customer">'
        '<bpmn:flowNodeRef>T1</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet><bpmn:task id="T1"/></bpmn:process>'
        '<bpmn:process id="P2"><bpmn:laneSet id="B"><bpmn:lane id="C2" name="customer">'
        '<bpmn:flowNodeRef>T2</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet><bpmn:task id="T2"/></bpmn:process>'
        "</bpmn:definitions>"
    ).encode()
    scope = find_customer(bpmn_cx.load(data))
    assert [lane.id for lane in scope.lanes] == ["C1", "C2"]


def test_explicit_choice_by_id_and_by_name() -> None:
    model = model_with_lanes("Back office", "Front desk", "Customer")
    assert [lane.id for lane in find_customer(model, "Lane_1").lanes] == ["Lane_1"]
    assert [lane.id for lane in find_customer(model, ["front DESK"]).lanes] == ["Lane_1"]
    both = find_customer(model, ["Lane_0", "Front desk"])
    assert [lane.id for lane in both.lanes] == ["Lane_0", "Lane_1"]
    assert both.source == "explicit"


def test_an_explicit_name_that_matches_nothing_is_an_error_listing_the_lanes() -> None:
    model = model_with_lanes("Back office", "Customer")
    with pytest.raises(CustomerNotFound) as info:
        find_customer(model, ["Shopper"])
    assert "'Shopper'" in str(info.value)
    assert "Back office" in str(info.value) and "Customer" in str(info.value)
    assert len(info.value.seen) == 3  # the pool and two lanes


def test_a_customer_pool_and_its_nodes() -> None:
    data = lanes_doc([("L1", "Desk", ["T1"])], [("T1", "task")], [], extra_pools=[("BB", "Customer")],
                     message_flows=[("M1", "BB", "T1")])
    model = bpmn_cx.load(data)
    scope = find_customer(model)
    assert [p.id for p in scope.participants] == ["BB"]
    assert scope.participants[0].is_black_box
    assert scope.contains_end(model.by_id["BB"])
    assert not scope.contains_end(model.by_id["T1"])
    assert not scope.contains(model.by_id["T1"])


def test_lanes_inside_a_chosen_pool_are_not_listed_twice() -> None:
    data = lanes_doc([("L1", "Customer", ["T1"])], [("T1", "task")], [], pool="Customer")
    scope = find_customer(bpmn_cx.load(data))
    assert [p.id for p in scope.participants] == ["Pool"]
    assert scope.lanes == []


def test_child_lanes_of_a_customer_lane_belong_to_the_customer() -> None:
    data = (
        HEAD
        + '<bpmn:process id="P"><bpmn:laneSet id="LS"><bpmn:lane id="C" name="Customer">'
        '<bpmn:childLaneSet id="CLS"><bpmn:lane id="Online" name="Online"><bpmn:flowNodeRef>T1</bpmn:flowNodeRef>'
        '</bpmn:lane></bpmn:childLaneSet></bpmn:lane><bpmn:lane id="D" name="Desk">'
        '<bpmn:flowNodeRef>T2</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
        '<bpmn:task id="T1"/><bpmn:task id="T2"/></bpmn:process></bpmn:definitions>'
    ).encode()
    model = bpmn_cx.load(data)
    scope = find_customer(model)
    assert scope.contains(model.by_id["T1"])
    assert not scope.contains(model.by_id["T2"])
    assert scope.has_lane(model.by_id["Online"])


def test_boundary_events_belong_to_their_hosts_lane() -> None:
    data = (
        HEAD
        + '<bpmn:process id="P"><bpmn:laneSet id="LS"><bpmn:lane id="C" name="Customer">'
        '<bpmn:flowNodeRef>T1</bpmn:flowNodeRef></bpmn:lane><bpmn:lane id="D" name="Desk">'
        '<bpmn:flowNodeRef>B1</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
        '<bpmn:task id="T1"/><bpmn:boundaryEvent id="B1" attachedToRef="T1"/></bpmn:process></bpmn:definitions>'
    ).encode()
    model = bpmn_cx.load(data)
    assert model.by_id["B1"].lane.id == "D"  # what the file says
    assert effective_lane(model.by_id["B1"]).id == "C"  # what the customer's view uses
    assert find_customer(model).contains(model.by_id["B1"])


def test_a_custom_role_list_replaces_the_default() -> None:
    model = model_with_lanes("Customer", "Member")
    scope = find_customer(model, names=["member"])
    assert [lane.id for lane in scope.lanes] == ["Lane_1"]


def test_normalize_name() -> None:
    assert normalize_name("  Kündin \n") == "kundin"
    assert normalize_name("Customer:") == "customer"
    assert normalize_name(None) == ""
    assert normalize_name("End  Customer") == "end customer"
