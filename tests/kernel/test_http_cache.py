"""The bound of a public answer that can change: the proxy's share, the browser's share and the margin for
rendering never add up to more than PUBLIC_CACHE_SECONDS."""

import re

import pytest

from kernel.http_cache import RENDER_MARGIN, public_cache_control


@pytest.mark.parametrize("total", range(61))
def test_the_proxy_and_the_browser_together_stay_within_the_bound(total):
    control = public_cache_control(total)
    seconds = {name: int(value) for name, value in re.findall(r"([a-z-]+)=(\d+)", control)}
    grace = seconds["stale-while-revalidate"]
    proxy, browser = seconds["s-maxage"] + grace, seconds["max-age"] + grace
    assert control.startswith("public, ")
    assert proxy + browser + min(RENDER_MARGIN, total // 6) <= total
    if total == 60:
        assert (proxy, browser) == (27, 27)
