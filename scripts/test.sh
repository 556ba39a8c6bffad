#!/usr/bin/env bash
# test.sh - build everything and run every test: unit, actor specs, LLNG integration, end to end.
# This is the README's test command and exactly what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
dotnet restore OpenBastion.Actors.sln
dotnet build OpenBastion.Actors.sln -c Release --no-restore
dotnet test OpenBastion.Actors.sln -c Release --no-build --logger "console;verbosity=normal"
