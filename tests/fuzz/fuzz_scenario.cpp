// Scenario files (core/sim): the JSON schema, every event and lane, and parameter resolution with --set
// assignments taken from the input's own lanes.
#include "FuzzSupport.h"

#include "sim/Scenario.h"

using namespace tb;

TB_FUZZ_TARGET(scenario)
{
    const QByteArray json = fuzz::copy(data, size);
    const auto scenario = sim::parseScenario(json);
    if (!scenario) {
        TB_FUZZ_CHECK(!scenario.error().message.isEmpty());
        return 0;
    }
    // parseScenario already resolved every lane without --set; it must keep doing so.
    for (const sim::LaneSpec& lane : scenario->lanes) {
        TB_FUZZ_CHECK(sim::resolveParams(*scenario, {}, &lane).has_value());
        (void)sim::laneName(lane.id);
    }
    for (const sim::ScriptEvent& event : scenario->events) {
        TB_FUZZ_CHECK(!sim::eventTypeName(event.type).isEmpty());
    }
    (void)sim::resolveParams(*scenario, {QStringLiteral("preset=keycloak"), QStringLiteral("access_ttl_s=1")});
    return 0;
}
