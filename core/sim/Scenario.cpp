#include "sim/Scenario.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

#include "base/Limits.h"

// Resources of a static library need an explicit initialiser, called at global namespace scope.
static void tbInitSimResources()
{
    Q_INIT_RESOURCE(tb_sim_scenarios);
}

namespace tb::sim {

namespace {

struct TypeName
{
    EventType type;
    const char* name;
};

constexpr TypeName kTypes[] = {
    {EventType::Login, "login"},
    {EventType::Request, "request"},
    {EventType::Theft, "theft"},
    {EventType::Revoke, "revoke"},
    {EventType::Logout, "logout"},
    {EventType::PasswordChange, "password_change"},
    {EventType::AccountDisabled, "account_disabled"},
    {EventType::RoleChange, "role_change"},
    {EventType::StoreOutage, "store_outage"},
    {EventType::KeyRotation, "key_rotation"},
    {EventType::RefreshRace, "refresh_race"},
    {EventType::AttackerRefresh, "attacker_refresh"},
    {EventType::FixationPlant, "fixation_plant"},
    {EventType::GuessAttack, "guess_attack"},
    {EventType::Leave, "leave"},
};

Error invalid(const QString& message)
{
    return Error{ErrorCode::InvalidScenario, message, {}};
}

Result<QString> requireString(const QJsonObject& o, const QString& key, const QString& where)
{
    if (!o.contains(key)) {
        return std::unexpected(invalid(QStringLiteral("%1%2: missing required field.").arg(where, key)));
    }
    if (!o.value(key).isString() || o.value(key).toString().trimmed().isEmpty()) {
        return std::unexpected(invalid(QStringLiteral("%1%2: must be a non-empty string.").arg(where, key)));
    }
    return o.value(key).toString();
}

Result<bool> optionalBool(const QJsonObject& o, const QString& key, const QString& where)
{
    if (!o.contains(key)) {
        return false;
    }
    if (!o.value(key).isBool()) {
        return std::unexpected(invalid(QStringLiteral("%1.%2: must be true or false.").arg(where, key)));
    }
    return o.value(key).toBool();
}

Result<ScriptEvent> parseEvent(const QJsonValue& v, const QString& where)
{
    if (!v.isObject()) {
        return std::unexpected(invalid(QStringLiteral("%1: must be an object.").arg(where)));
    }
    const QJsonObject o = v.toObject();
    static const QStringList known = {QStringLiteral("type"),     QStringLiteral("at"),    QStringLiteral("plus"),
                                      QStringLiteral("steals"),   QStringLiteral("actor"), QStringLiteral("emergency"),
                                      QStringLiteral("malleate"), QStringLiteral("note")};
    for (const QString& key : o.keys()) {
        if (!known.contains(key)) {
            return std::unexpected(invalid(QStringLiteral("%1.%2: unknown field.").arg(where, key)));
        }
    }
    ScriptEvent e;
    auto type = requireString(o, QStringLiteral("type"), where + u'.');
    if (!type) {
        return std::unexpected(type.error());
    }
    bool found = false;
    for (const TypeName& t : kTypes) {
        if (*type == QLatin1String(t.name)) {
            e.type = t.type;
            found = true;
        }
    }
    if (!found) {
        return std::unexpected(invalid(QStringLiteral("%1.type: unknown event type '%2'.").arg(where, *type)));
    }
    if (!o.contains(QStringLiteral("at"))) {
        return std::unexpected(invalid(QStringLiteral("%1.at: missing required field.").arg(where)));
    }
    const QJsonValue at = o.value(QStringLiteral("at"));
    std::optional<double> seconds;
    if (at.isDouble()) {
        seconds = at.toDouble();
    } else if (at.isString()) {
        seconds = parseClock(at.toString());
    } else {
        return std::unexpected(
            invalid(QStringLiteral("%1.at: must be a time as \"HH:MM[:SS]\" or seconds.").arg(where)));
    }
    if (!seconds || *seconds < 0 || *seconds > 366 * 86400.0) {
        return std::unexpected(invalid(QStringLiteral("%1.at: not a valid, non-negative time.").arg(where)));
    }
    e.atS = *seconds;
    if (o.contains(QStringLiteral("plus"))) {
        const QJsonValue plus = o.value(QStringLiteral("plus"));
        const ParamSpec* s = plus.isString() ? findSpec(plus.toString()) : nullptr;
        if (!s || s->kind != Kind::Duration) {
            return std::unexpected(invalid(QStringLiteral("%1.plus: must name a duration parameter.").arg(where)));
        }
        e.plus = s->id;
    }
    if (e.type == EventType::Theft) {
        auto steals = requireString(o, QStringLiteral("steals"), where + u'.');
        if (!steals) {
            return std::unexpected(steals.error());
        }
        static const QStringList kinds = {QStringLiteral("session"), QStringLiteral("access"),
                                          QStringLiteral("refresh"), QStringLiteral("all"),
                                          QStringLiteral("api_token")};
        if (!kinds.contains(*steals)) {
            return std::unexpected(
                invalid(QStringLiteral("%1.steals: must be one of %2.").arg(where, kinds.join(u", "))));
        }
        e.steals = *steals;
    }
    if (o.contains(QStringLiteral("actor"))) {
        const QString actor = o.value(QStringLiteral("actor")).toString();
        if (actor != QLatin1String("victim") && actor != QLatin1String("attacker")) {
            return std::unexpected(invalid(QStringLiteral("%1.actor: must be \"victim\" or \"attacker\".").arg(where)));
        }
        e.actor = actor;
    }
    auto emergency = optionalBool(o, QStringLiteral("emergency"), where);
    auto malleate = optionalBool(o, QStringLiteral("malleate"), where);
    if (!emergency) {
        return std::unexpected(emergency.error());
    }
    if (!malleate) {
        return std::unexpected(malleate.error());
    }
    e.emergency = *emergency;
    e.malleate = *malleate;
    return e;
}

Result<LaneSpec> parseLane(const QJsonValue& v, const QString& where)
{
    LaneSpec lane;
    QString id;
    if (v.isString()) {
        id = v.toString();
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        auto s = requireString(o, QStringLiteral("id"), where + u'.');
        if (!s) {
            return std::unexpected(s.error());
        }
        id = *s;
        lane.variant = o.value(QStringLiteral("variant")).toString();
        if (o.contains(QStringLiteral("set")) && !o.value(QStringLiteral("set")).isObject()) {
            return std::unexpected(invalid(QStringLiteral("%1.set: must be an object of parameters.").arg(where)));
        }
        lane.set = o.value(QStringLiteral("set")).toObject();
    } else {
        return std::unexpected(
            invalid(QStringLiteral("%1: must be a lane id (\"A\"..\"F\") or an object.").arg(where)));
    }
    if (id.size() != 1 || id[0] < u'A' || id[0] > u'F') {
        return std::unexpected(invalid(QStringLiteral("%1: unknown lane '%2' (lanes are A to F).").arg(where, id)));
    }
    lane.id = id[0];
    return lane;
}

} // namespace

QString eventTypeName(EventType type)
{
    for (const TypeName& t : kTypes) {
        if (t.type == type) {
            return QString::fromLatin1(t.name);
        }
    }
    return {};
}

QString laneName(QChar id)
{
    switch (id.unicode()) {
    case u'A':
        return QStringLiteral("Server-side session in a shared store");
    case u'B':
        return QStringLiteral("JWT only");
    case u'C':
        return QStringLiteral("JWT + denylist");
    case u'D':
        return QStringLiteral("JWT access + rotating refresh token");
    case u'E':
        return QStringLiteral("Opaque token + cached introspection");
    case u'F':
        return QStringLiteral("Hybrid / BFF (cookie session, short API JWT)");
    default:
        return {};
    }
}

Result<Scenario> parseScenario(const QByteArray& json)
{
    if (std::size_t(json.size()) > limits::maxScenarioBytes) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The scenario file is %1 bytes, larger than the limit of %2 bytes.")
                        .arg(json.size())
                        .arg(limits::maxScenarioBytes));
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(ErrorCode::BadJson, QStringLiteral("The scenario is not valid JSON: %1 at offset %2.")
                                            .arg(parseError.errorString())
                                            .arg(parseError.offset));
    }
    if (!doc.isObject()) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("The scenario must be a JSON object."));
    }
    const QJsonObject root = doc.object();
    static const QStringList known = {
        QStringLiteral("id"),    QStringLiteral("title"),      QStringLiteral("teaches"), QStringLiteral("expected"),
        QStringLiteral("lanes"), QStringLiteral("parameters"), QStringLiteral("events"),  QStringLiteral("sources")};
    for (const QString& key : root.keys()) {
        if (!known.contains(key)) {
            return fail(ErrorCode::InvalidScenario, QStringLiteral("%1: unknown field.").arg(key));
        }
    }
    Scenario s;
    for (auto [key, target] : {std::pair{QStringLiteral("id"), &s.id}, std::pair{QStringLiteral("title"), &s.title},
                               std::pair{QStringLiteral("teaches"), &s.teaches}}) {
        auto v = requireString(root, key, {});
        if (!v) {
            return std::unexpected(v.error());
        }
        *target = *v;
    }
    s.expected = root.value(QStringLiteral("expected")).toString();
    if (!root.value(QStringLiteral("lanes")).isArray() || root.value(QStringLiteral("lanes")).toArray().isEmpty()) {
        return fail(ErrorCode::InvalidScenario,
                    QStringLiteral("lanes: missing, or not a non-empty array of lane ids."));
    }
    const QJsonArray lanes = root.value(QStringLiteral("lanes")).toArray();
    for (qsizetype i = 0; i < lanes.size(); ++i) {
        auto lane = parseLane(lanes[i], QStringLiteral("lanes[%1]").arg(i));
        if (!lane) {
            return std::unexpected(lane.error());
        }
        s.lanes.push_back(*lane);
    }
    if (root.contains(QStringLiteral("parameters")) && !root.value(QStringLiteral("parameters")).isObject()) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("parameters: must be an object."));
    }
    s.parameters = root.value(QStringLiteral("parameters")).toObject();
    if (!root.value(QStringLiteral("events")).isArray()) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("events: missing, or not an array."));
    }
    const QJsonArray events = root.value(QStringLiteral("events")).toArray();
    if (events.size() > maxScenarioEvents) {
        return fail(
            ErrorCode::TooLarge,
            QStringLiteral("events: %1 events, more than the limit of %2.").arg(events.size()).arg(maxScenarioEvents));
    }
    for (qsizetype i = 0; i < events.size(); ++i) {
        auto e = parseEvent(events[i], QStringLiteral("events[%1]").arg(i));
        if (!e) {
            return std::unexpected(e.error());
        }
        s.events.push_back(*e);
    }
    // Check every parameter and lane override now, so a bad file fails before it runs.
    for (const LaneSpec& lane : s.lanes) {
        auto p = resolveParams(s, {}, &lane);
        if (!p) {
            return std::unexpected(p.error());
        }
    }
    return s;
}

Result<Params> resolveParams(const Scenario& scenario, const QStringList& sets, const LaneSpec* lane)
{
    Params p;
    // The preset first, so that the file's explicit parameters win over it.
    const QString presetKey = QStringLiteral("preset");
    if (scenario.parameters.contains(presetKey)) {
        auto r = p.setJson(presetKey, scenario.parameters.value(presetKey), QStringLiteral("parameters.preset"));
        if (!r) {
            return std::unexpected(r.error());
        }
    }
    for (auto it = scenario.parameters.begin(); it != scenario.parameters.end(); ++it) {
        if (it.key() == presetKey) {
            continue;
        }
        auto r = p.setJson(it.key(), it.value(), QStringLiteral("parameters.%1").arg(it.key()));
        if (!r) {
            return std::unexpected(r.error());
        }
    }
    if (lane) {
        for (auto it = lane->set.begin(); it != lane->set.end(); ++it) {
            auto r = p.setJson(it.key(), it.value(), QStringLiteral("lanes[%1].set.%2").arg(lane->id).arg(it.key()));
            if (!r) {
                return std::unexpected(r.error());
            }
        }
    }
    QStringList ordered;
    for (const QString& set : sets) {
        (set.startsWith(presetKey + u'=') ? ordered.prepend(set) : ordered.append(set));
    }
    for (const QString& set : ordered) {
        const qsizetype eq = set.indexOf(u'=');
        if (eq <= 0) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("--set expects KEY=VALUE (got '%1').").arg(set));
        }
        auto r = p.setText(set.left(eq).trimmed(), set.mid(eq + 1));
        if (!r) {
            return std::unexpected(r.error());
        }
    }
    auto valid = p.validate();
    if (!valid) {
        return std::unexpected(valid.error());
    }
    return p;
}

std::vector<BuiltinInfo> builtinScenarios()
{
    std::vector<BuiltinInfo> list;
    for (int i = 1; i <= 18; ++i) {
        const QString id = QStringLiteral("S%1").arg(i);
        auto bytes = builtinScenarioBytes(id);
        if (!bytes) {
            continue;
        }
        const QJsonObject o = QJsonDocument::fromJson(*bytes).object();
        list.push_back(
            {id, o.value(QStringLiteral("title")).toString(), o.value(QStringLiteral("teaches")).toString()});
    }
    return list;
}

Result<QByteArray> builtinScenarioBytes(const QString& id)
{
    tbInitSimResources();
    static const QRegularExpression idPattern(QStringLiteral("^S([1-9]|1[0-8])$"));
    const QString upper = id.trimmed().toUpper();
    if (!idPattern.match(upper).hasMatch()) {
        return fail(ErrorCode::NotFound,
                    QStringLiteral("no built-in scenario '%1' (S1 to S18; see simulate --list).").arg(id));
    }
    QFile file(QStringLiteral(":/scenarios/%1.json").arg(upper));
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::NotFound, QStringLiteral("built-in scenario %1 is missing from this build.").arg(upper));
    }
    return file.readAll();
}

} // namespace tb::sim
