#pragma once

#include <QJsonObject>
#include <QString>

#include "sim/Engine.h"

namespace tb::sim {

// The CLI's --json document (CLI.md `simulate`): scenario, seed, parameters and one object per lane.
// `timeline` adds the per-lane timeline data (markers, intervals, series, sequence steps).
QJsonObject toJson(const RunResult& result, bool timeline = false);
// A readable table of the lanes, for a terminal.
QString toTable(const RunResult& result);

} // namespace tb::sim
