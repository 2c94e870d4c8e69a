#!/usr/bin/env bash
# Debian packages the generator and the browser tests need: CJK fonts and Chromium.
# Installed only when missing, and only where we may (root on Debian).
set -euo pipefail
need=()
# read the list once: `fc-list | grep -q` under pipefail fails when grep stops reading early
families=$(fc-list : family 2>/dev/null || true)
grep -qi "Noto Sans CJK" <<<"$families" || need+=(fonts-noto-cjk)
grep -qi "WenQuanYi Micro Hei" <<<"$families" || need+=(fonts-wqy-microhei)
grep -qi "AR PL UKai" <<<"$families" || need+=(fonts-arphic-ukai)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "system-deps: installing ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages: ${need[*]} (install them with apt-get as root)" >&2
  exit 1
fi
