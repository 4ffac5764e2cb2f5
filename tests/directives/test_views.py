"""Directive pages through the test client: a relation's kind is chosen on purpose, the
citation graph's arrows end at the box they point to, and units are chosen in a tree."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.directives import selectors, services
from loa.directives.forms import LinkForm
from loa.directives.models import Assignment, Directive, DirectiveLink
from loa.units.selectors import unit_tree
from tests.conftest import login
from tests.factories import Tree
from tests.shared import shared_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def conclusion(tree: Tree) -> Directive:
    data = shared_path("seeds", "000_ffb0d65ba92b0dfc.txt").read_bytes()
    return services.directive_import(user=SYSTEM, data=data, filename="60-KL-DUK.txt", unit=tree.board)


@pytest.fixture
def instruction(tree: Tree) -> Directive:
    text = (
        "Chỉ thị của Ban Thường vụ Đảng ủy Khối về đẩy mạnh công tác thông tin, tuyên truyền\n"
        "Số 04-CT/ĐUK\nHà Nội, ngày 22 tháng 9 năm 2016\nCHỈ THỊ\nvề đẩy mạnh công tác thông tin\n"
        "1. Các cấp ủy đảng quán triệt Chỉ thị số 07-CT/TW.\n"
    )
    return services.directive_import(user=SYSTEM, data=text.encode(), filename="04.txt", unit=tree.board)


def test_a_relation_has_no_kind_until_one_is_chosen(
    conclusion: Directive, instruction: Directive, users: dict[str, User]
) -> None:
    assert '<option value="" selected>— chọn quan hệ —</option>' in str(LinkForm()["kind"])
    client = login(users["bloc_staff"])
    page = client.get(reverse("directives:detail", args=[conclusion.pk])).content.decode()
    select = re.search(r'<select name="kind".*?</select>', page, re.S)
    assert select is not None
    assert "required" in select.group(0)
    assert re.search(r'<option value=""[^>]*selected', select.group(0))  # nothing chosen yet
    # Sending the form as it comes records nothing.
    client.post(reverse("directives:link", args=[conclusion.pk]), {"kind": "", "target": instruction.pk})
    assert not DirectiveLink.objects.exists()
    client.post(reverse("directives:link", args=[conclusion.pk]), {"kind": "implements", "target": instruction.pk})
    assert DirectiveLink.objects.get().kind == "implements"


def test_graph_edges_stop_at_the_border_of_the_box_they_point_to(conclusion: Directive, instruction: Directive) -> None:
    _nodes, edges, _size = selectors.citation_graph(user=SYSTEM)
    assert edges
    for edge in edges:
        # The arrow head sits on the end of the line: inside the target's box it would be hidden.
        dx, dy = abs(edge.x2 - edge.target.x), abs(edge.y2 - edge.target.y)
        assert dx >= selectors.NODE_HALF_WIDTH - 0.5 or dy >= selectors.NODE_HALF_HEIGHT - 0.5
        sx, sy = abs(edge.x1 - edge.source.x), abs(edge.y1 - edge.source.y)
        assert sx >= selectors.NODE_HALF_WIDTH - 0.5 or sy >= selectors.NODE_HALF_HEIGHT - 0.5


def test_the_graph_page_draws_arrow_heads(
    conclusion: Directive, instruction: Directive, users: dict[str, User]
) -> None:
    page = login(users["bloc_staff"]).get(reverse("directives:graph")).content.decode()
    assert '<marker id="arrow"' in page
    lines = re.findall(r'<line class="edge"[^>]*>', page)
    assert lines
    assert all('marker-end="url(#arrow)"' in line for line in lines)


def test_tasks_are_assigned_by_ticking_units_in_the_tree(
    conclusion: Directive, tree: Tree, users: dict[str, User]
) -> None:
    client = login(users["bloc_staff"])
    page = client.get(reverse("directives:detail", args=[conclusion.pk])).content.decode()
    assert '<select name="units"' not in page
    last = conclusion.items.get(number="5")
    form = page[page.index(f'id="item-{last.pk}"') :]
    form = form[: form.index("</form>")]
    # The units the text names come ticked, in the order of the tree.
    ticked = [int(pk) for pk in re.findall(r'name="units" value="(\d+)" id="[^"]+" checked', form)]
    order = [row.unit.pk for row in unit_tree(user=users["bloc_staff"])]
    assert ticked == [pk for pk in order if pk in {tree.board.pk, tree.evn.pk, tree.pvn.pk}]
    response = client.post(
        reverse("directives:assign", args=[conclusion.pk, last.pk]),
        {"units": [tree.evn_a.pk, tree.evn_b.pk], "deadline": ""},
    )
    assert response.status_code == 302
    assert {a.unit_id for a in Assignment.objects.filter(task=last)} == {tree.evn_a.pk, tree.evn_b.pk}
