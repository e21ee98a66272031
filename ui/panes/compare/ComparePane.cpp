#include "ComparePane.h"

#include <algorithm>
#include <cmath>

#include <QComboBox>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStringDecoder>
#include <QTableView>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include "DiffTableModel.h"
#include "Workspace.h"
#include "base/Bytes.h"
#include "inspect/KeyMatch.h"
#include "jose/Algorithm.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"
#include "jose/Jws.h"
#include "support/Async.h"
#include "support/Theme.h"
#include "validate/Verifier.h"

namespace tb::ui {

namespace {

constexpr qsizetype asyncBytes = 256 * 1024; // both inputs together; above this the work leaves the GUI thread
constexpr qsizetype shownBytes = 2048;       // per segment side in the byte view, from just before the first mark
constexpr qsizetype leadBytes = 48;          // shown before the first marked byte

// Text properties the byte view sets, so the marks can be read back (tests, accessibility tools).
constexpr int markProperty = QTextFormat::UserProperty + 1;    // on a char format: "a" or "b"
constexpr int segmentProperty = QTextFormat::UserProperty + 2; // on a block: the segment name
constexpr int sideProperty = QTextFormat::UserProperty + 3;    // on a block: "a", "b" or "heading"

bool isText(const QByteArray& bytes)
{
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\n' && c != '\r' && c != '\t') {
            return false;
        }
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString decoded = utf8.decode(bytes); // the decoder only runs when converted
    Q_UNUSED(decoded);
    return !utf8.hasError();
}

QList<ComparePane::SegmentBytes> buildSegments(const jose::CompactToken& a, const jose::CompactToken& b,
                                               const QList<inspect::SegmentDiff>& names)
{
    QList<ComparePane::SegmentBytes> out;
    for (qsizetype i = 0; i < names.size(); ++i) {
        ComparePane::SegmentBytes s;
        s.name = names[i].name;
        for (const auto& [raw, bytes] : {std::pair{a.segments.value(i), &s.a}, std::pair{b.segments.value(i), &s.b}}) {
            const auto decoded = jose::base64UrlDecodeLenient(raw);
            *bytes = decoded ? decoded->bytes : raw;
        }
        s.binary = !isText(s.a) || !isText(s.b);
        s.marks = s.binary ? inspect::diffPositional(s.a, s.b) : inspect::diffAligned(s.a, s.b);
        out.append(s);
    }
    return out;
}

QList<ComparePane::SegmentBytes> encodedSegments(const jose::CompactToken& a, const jose::CompactToken& b,
                                                 const QList<ComparePane::SegmentBytes>& decoded)
{
    QList<ComparePane::SegmentBytes> out;
    for (qsizetype i = 0; i < decoded.size(); ++i) {
        ComparePane::SegmentBytes s;
        s.name = decoded[i].name;
        s.a = a.segments.value(i);
        s.b = b.segments.value(i);
        // The base64url text is always text; random bytes stay compared offset by offset.
        s.marks = decoded[i].binary ? inspect::diffPositional(s.a, s.b) : inspect::diffAligned(s.a, s.b);
        out.append(s);
    }
    return out;
}

QString signedDuration(double seconds)
{
    if (seconds == 0) {
        return QStringLiteral("0 s");
    }
    return (seconds > 0 ? QStringLiteral("+") : QStringLiteral("−")) + validate::formatDuration(std::fabs(seconds));
}

QString timeCell(const inspect::TimeDelta& t, const std::optional<double>& v)
{
    if (!v) {
        return QObject::tr("(absent)");
    }
    if (t.name == QLatin1String("lifetime")) {
        return validate::formatDuration(*v);
    }
    const QString utc = bytes::utcString(*v);
    return QString::fromLatin1(QByteArray::number(*v, 'g', 17)) +
           (utc.isEmpty() ? QString() : QStringLiteral("  ") + utc);
}

// A header member for a sentence: strings without their JSON quotes, other values as JSON text.
QString shown(const QByteArray& json, bool quoted = false)
{
    if (json.isEmpty()) {
        return QObject::tr("(absent)");
    }
    if (!json.startsWith('"')) {
        return QString::fromUtf8(json);
    }
    const QString text = jose::jsonStringValue(json);
    return quoted ? QStringLiteral("“%1”").arg(text) : text;
}

// One byte as the view shows it: hex for binary segments; printable ASCII as is, else a visible escape.
QString byteText(char c, bool binary)
{
    const auto u = static_cast<unsigned char>(c);
    if (binary) {
        return QStringLiteral("%1 ").arg(uint(u), 2, 16, QLatin1Char('0'));
    }
    switch (c) {
    case '\n':
        return QStringLiteral("↵");
    case '\t':
        return QStringLiteral("⇥");
    case '\r':
        return QStringLiteral("␍");
    default:
        break;
    }
    if (u >= 0x20 && u < 0x7f) {
        return QString(QLatin1Char(c));
    }
    return QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
}

QString tokenLabel(const QByteArray& token, int number)
{
    const auto compact = jose::parseCompact(QByteArrayView(token).trimmed());
    if (!compact) {
        return QObject::tr("Token %1 · not a compact token").arg(number);
    }
    QStringList parts{QObject::tr("Token %1").arg(number)};
    const jose::JsonScan hs = jose::scanJson(compact->header);
    const jose::JsonObjectView header(compact->header, hs);
    parts << (compact->kind == jose::TokenKind::Jwe ? QStringLiteral("JWE") : QStringLiteral("JWS"));
    if (const auto alg = header.string("alg")) {
        parts << *alg;
    }
    if (compact->kind == jose::TokenKind::Jws) {
        const jose::JsonScan ps = jose::scanJson(compact->payload);
        const jose::JsonObjectView payload(compact->payload, ps);
        if (const auto sub = payload.string("sub")) {
            parts << QObject::tr("sub %1").arg(sub->left(24));
        }
        if (const auto jti = payload.string("jti")) {
            parts << QObject::tr("jti %1").arg(jti->left(10));
        }
    }
    return parts.join(QStringLiteral(" · "));
}

} // namespace

ComparePane::ComparePane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("comparePane"));
    buildInputs();

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("compareSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto verdict = [this](const QString& name) {
        auto* l = new QLabel(this);
        l->setObjectName(name);
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return l;
    };
    m_sameAlg = verdict(QStringLiteral("compareSameAlg"));
    m_sameKid = verdict(QStringLiteral("compareSameKid"));
    m_sameKey = verdict(QStringLiteral("compareSameKey"));

    m_model = new DiffTableModel(this);
    m_changes = new QTableView(this);
    m_changes->setObjectName(QStringLiteral("compareChanges"));
    m_changes->setAccessibleName(tr("Header and claim differences"));
    m_changes->setModel(m_model);
    m_changes->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_changes->setWordWrap(false);
    m_changes->verticalHeader()->hide();
    m_changes->horizontalHeader()->setStretchLastSection(true);
    m_changes->horizontalHeader()->setSectionResizeMode(DiffTableModel::AColumn, QHeaderView::Stretch);

    m_times = new QTableWidget(0, 4, this);
    m_times->setObjectName(QStringLiteral("compareTimes"));
    m_times->setAccessibleName(tr("Time claims of A and B"));
    m_times->setHorizontalHeaderLabels({tr("Claim"), tr("A"), tr("B"), tr("B − A")});
    m_times->verticalHeader()->hide();
    m_times->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_times->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_times->horizontalHeader()->setStretchLastSection(true);

    m_byteMode = new QComboBox(this);
    m_byteMode->setObjectName(QStringLiteral("compareByteMode"));
    m_byteMode->setAccessibleName(tr("What the byte view compares"));
    m_byteMode->addItem(tr("Decoded bytes"));
    m_byteMode->addItem(tr("base64url text as received"));
    m_bytes = new QTextEdit(this);
    m_bytes->setObjectName(QStringLiteral("compareBytes"));
    m_bytes->setAccessibleName(tr("Byte-level diff of each segment"));
    m_bytes->setReadOnly(true);
    m_bytes->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_bytes->setLineWrapMode(QTextEdit::WidgetWidth);
    m_bytes->setWordWrapMode(QTextOption::WrapAnywhere);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Header and claims (A → B):"), this));
    leftLayout->addWidget(m_changes, 3);
    leftLayout->addWidget(new QLabel(tr("Times:"), this));
    leftLayout->addWidget(m_times, 2);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* modeRow = new QHBoxLayout;
    modeRow->addWidget(new QLabel(tr("Segments, byte by byte:"), this));
    modeRow->addStretch(1);
    modeRow->addWidget(m_byteMode);
    rightLayout->addLayout(modeRow);
    rightLayout->addWidget(m_bytes, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* verdicts = new QGroupBox(tr("Signed by the same key?"), this);
    auto* verdictLayout = new QVBoxLayout(verdicts);
    verdictLayout->setContentsMargins(8, 4, 8, 4);
    verdictLayout->setSpacing(2);
    verdictLayout->addWidget(m_sameAlg);
    verdictLayout->addWidget(m_sameKid);
    verdictLayout->addWidget(m_sameKey);

    auto* layout = qobject_cast<QVBoxLayout*>(this->layout());
    layout->addWidget(m_summary);
    layout->addWidget(verdicts);
    layout->addWidget(split, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(200);
    connect(m_debounce, &QTimer::timeout, this, &ComparePane::startCompare);
    connect(m_byteMode, &QComboBox::currentIndexChanged, this, &ComparePane::renderBytes);
    connect(m_workspace, &Workspace::tokensChanged, this, [this] { whenShown([this] { rebuildPickers(); }); });
    connect(m_workspace, &Workspace::keysChanged, this, &ComparePane::startCompare);
    rebuildPickers();
    clearResults(tr("Paste two tokens, or pick them from the workspace, to compare them."));
}

ComparePane::~ComparePane() = default;

QIcon ComparePane::navIcon()
{
    return QIcon(QStringLiteral(":/icons/compare.svg"));
}

void ComparePane::buildInputs()
{
    auto side = [this](const QString& letter, QComboBox*& picker, QPlainTextEdit*& input) {
        auto* box = new QGroupBox(tr("Token %1").arg(letter), this);
        picker = new QComboBox(box);
        picker->setObjectName(QStringLiteral("comparePick") + letter);
        picker->setAccessibleName(tr("Pick token %1 from the workspace").arg(letter));
        input = new QPlainTextEdit(box);
        input->setObjectName(QStringLiteral("compareInput") + letter);
        input->setAccessibleName(tr("Token %1").arg(letter));
        input->setPlaceholderText(tr("Paste token %1 (JWS or JWE, compact)").arg(letter));
        input->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        input->setWordWrapMode(QTextOption::WrapAnywhere);
        input->setMaximumHeight(96);
        auto* l = new QVBoxLayout(box);
        l->setContentsMargins(6, 4, 6, 6);
        l->addWidget(picker);
        l->addWidget(input);
        connect(input, &QPlainTextEdit::textChanged, this, &ComparePane::inputChanged);
        return box;
    };
    QGroupBox* a = side(QStringLiteral("A"), m_pickA, m_inputA);
    QGroupBox* b = side(QStringLiteral("B"), m_pickB, m_inputB);
    auto* swapButton = new QPushButton(tr("⇄ Swap"), this);
    swapButton->setObjectName(QStringLiteral("compareSwap"));
    swapButton->setToolTip(tr("Swap A and B"));
    swapButton->setAccessibleName(tr("Swap A and B"));
    connect(swapButton, &QPushButton::clicked, this, &ComparePane::swap);
    connect(m_pickA, &QComboBox::activated, this, [this](int index) { pick(0, index); });
    connect(m_pickB, &QComboBox::activated, this, [this](int index) { pick(1, index); });

    auto* row = new QHBoxLayout;
    row->addWidget(a, 1);
    row->addWidget(swapButton, 0, Qt::AlignVCenter);
    row->addWidget(b, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
}

void ComparePane::rebuildPickers()
{
    for (QComboBox* picker : {m_pickA, m_pickB}) {
        const QSignalBlocker block(picker);
        picker->clear();
        picker->addItem(tr("Pick a workspace token…"));
        const QList<QByteArray>& tokens = m_workspace->tokens();
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            picker->addItem(tokenLabel(tokens[i], int(i + 1)));
        }
        picker->setEnabled(!tokens.isEmpty());
    }
    syncPickers();
}

void ComparePane::pick(int side, int index)
{
    const QList<QByteArray>& tokens = m_workspace->tokens();
    if (index <= 0 || index > tokens.size()) {
        return;
    }
    QPlainTextEdit* input = side == 0 ? m_inputA : m_inputB;
    input->setPlainText(QString::fromUtf8(tokens[index - 1]));
    startCompare();
}

QByteArray ComparePane::tokenA() const
{
    return m_inputA->toPlainText().toUtf8().trimmed();
}

QByteArray ComparePane::tokenB() const
{
    return m_inputB->toPlainText().toUtf8().trimmed();
}

void ComparePane::setTokens(const QByteArray& a, const QByteArray& b)
{
    {
        const QSignalBlocker blockA(m_inputA);
        const QSignalBlocker blockB(m_inputB);
        m_inputA->setPlainText(QString::fromUtf8(a));
        m_inputB->setPlainText(QString::fromUtf8(b));
    }
    startCompare();
}

void ComparePane::swap()
{
    setTokens(m_inputB->toPlainText().toUtf8(), m_inputA->toPlainText().toUtf8());
}

void ComparePane::setByteMode(ByteMode mode)
{
    m_byteMode->setCurrentIndex(mode == ByteMode::Decoded ? 0 : 1);
}

const QList<ComparePane::SegmentBytes>& ComparePane::segments() const
{
    return m_byteMode->currentIndex() == 0 ? m_outcome.decoded : m_outcome.encoded;
}

void ComparePane::syncPickers()
{
    // A picker names the workspace token its input holds, if any.
    const QList<QByteArray>& tokens = m_workspace->tokens();
    for (const auto& [picker, token] : {std::pair{m_pickA, tokenA()}, std::pair{m_pickB, tokenB()}}) {
        const QSignalBlocker block(picker);
        picker->setCurrentIndex(int(tokens.indexOf(token)) + 1);
    }
}

void ComparePane::inputChanged()
{
    for (QPlainTextEdit* input : {m_inputA, m_inputB}) {
        // Wrapping a huge single line costs more than the diff: large pastes stay on one line.
        const bool large = input->document()->characterCount() > asyncBytes;
        input->setLineWrapMode(large ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
    }
    m_debounce->start();
}

ComparePane::Outcome ComparePane::compare(const QByteArray& a, const QByteArray& b,
                                          const QList<workspace::NamedKey>& store)
{
    Outcome out;
    QList<keys::KeyPtr> candidates;
    for (const workspace::NamedKey& k : store) {
        candidates.append(k.key);
    }
    auto diff = inspect::diffTokens(a, b);
    if (!diff) {
        out.error = diff.error().message;
        return out;
    }
    const qsizetype keyA = inspect::verifyingKey(a, candidates);
    const qsizetype keyB = inspect::verifyingKey(b, candidates);
    if (keyA >= 0 || keyB >= 0) {
        // Again with the keys, so that core compares their thumbprints.
        diff = inspect::diffTokens(a, b, keyA >= 0 ? candidates[keyA].get() : nullptr,
                                   keyB >= 0 ? candidates[keyB].get() : nullptr);
        if (!diff) {
            out.error = diff.error().message;
            return out;
        }
        out.keyNameA = keyA >= 0 ? store[keyA].name : QString();
        out.keyNameB = keyB >= 0 ? store[keyB].name : QString();
    }
    const auto ta = jose::parseCompact(bytes::trimmed(a));
    const auto tb = jose::parseCompact(bytes::trimmed(b));
    if (ta && tb) {
        out.decoded = buildSegments(*ta, *tb, diff->segments);
        out.encoded = encodedSegments(*ta, *tb, out.decoded);
    }
    out.diff = std::move(*diff);
    return out;
}

void ComparePane::startCompare()
{
    m_debounce->stop();
    syncPickers();
    const QByteArray a = tokenA();
    const QByteArray b = tokenB();
    const int generation = ++m_generation;
    if (a.isEmpty() || b.isEmpty()) {
        clearResults(
            a.isEmpty() && b.isEmpty()
                ? tr("Paste two tokens, or pick them from the workspace, to compare "
                     "them.")
                : tr("Now paste or pick token %1.").arg(a.isEmpty() ? QStringLiteral("A") : QStringLiteral("B")));
        emit compared();
        return;
    }
    const QList<workspace::NamedKey> store = m_workspace->keys();
    if (a.size() + b.size() <= asyncBytes) {
        showOutcome(compare(a, b, store));
        return;
    }
    ++m_pending;
    m_summary->setText(tr("Comparing…"));
    runAsync<Outcome>(
        this, tr("Comparing the tokens…"), [a, b, store](QPromise<Outcome>&) { return compare(a, b, store); },
        [this, generation](const Outcome& outcome) {
            --m_pending;
            if (generation == m_generation) {
                showOutcome(outcome);
            }
        });
}

void ComparePane::clearResults(const QString& message)
{
    m_outcome = Outcome{};
    m_summary->setText(message);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    for (QLabel* l : {m_sameAlg, m_sameKid, m_sameKey}) {
        l->clear();
        l->setPalette(palette());
    }
    m_model->setDiff(nullptr);
    m_times->setRowCount(0);
    m_bytes->clear();
}

void ComparePane::showOutcome(const Outcome& outcome)
{
    if (!outcome.diff) {
        clearResults({});
        m_outcome.error = outcome.error;
        m_summary->setText(outcome.error);
        QPalette p = m_summary->palette();
        p.setColor(QPalette::WindowText, theme::failColor(palette()));
        m_summary->setPalette(p);
        m_summary->setForegroundRole(QPalette::WindowText);
        emit statusMessage(outcome.error);
        emit compared();
        return;
    }
    m_outcome = outcome;
    const inspect::TokenDiff& d = *m_outcome.diff;
    QString summary = d.identical ? tr("The tokens are byte-identical (%1).").arg(d.kindA)
                                  : tr("The tokens differ (A: %1, B: %2): %n header and claim difference(s).", "",
                                       int(d.header.size() + d.payload.size()))
                                        .arg(d.kindA, d.kindB);
    for (const QString& note : d.notes) {
        summary += QLatin1Char(' ') + note;
    }
    m_summary->setText(summary);
    m_summary->setPalette(palette());
    m_summary->setForegroundRole(QPalette::WindowText);
    m_model->setDiff(&d);
    m_changes->resizeColumnsToContents();
    m_changes->horizontalHeader()->setStretchLastSection(true);
    showVerdicts();
    showTimes();
    renderBytes();
    emit compared();
}

void ComparePane::showVerdicts()
{
    const inspect::TokenDiff& d = *m_outcome.diff;
    auto paint = [this](QLabel* label, std::optional<bool> ok) {
        QPalette p = label->palette();
        p.setColor(QPalette::WindowText, !ok   ? palette().color(QPalette::PlaceholderText)
                                         : *ok ? theme::okColor(palette())
                                               : theme::failColor(palette()));
        label->setPalette(p);
    };
    m_sameAlg->setText(d.sameAlg ? tr("Same alg: yes — %1").arg(shown(d.algA))
                                 : tr("Same alg: no — A %1, B %2").arg(shown(d.algA), shown(d.algB)));
    paint(m_sameAlg, d.sameAlg);
    if (d.sameKid) {
        m_sameKid->setText(d.kidA.isEmpty() ? tr("Same kid: yes — neither has a kid")
                                            : tr("Same kid: yes — %1").arg(shown(d.kidA, true)));
    } else {
        m_sameKid->setText(tr("Same kid: no — A %1, B %2").arg(shown(d.kidA, true), shown(d.kidB, true)));
    }
    paint(m_sameKid, d.sameKid);

    const QString nameA = m_outcome.keyNameA;
    const QString nameB = m_outcome.keyNameB;
    QString key;
    if (d.kindA == QLatin1String("JWE") || d.kindB == QLatin1String("JWE")) {
        key = tr("Same key: unknown — a JWE carries no signature to check against the key store.");
    } else if (d.sameKey && !nameA.isEmpty() && !nameB.isEmpty()) {
        const QString who = nameA == nameB ? tr("both verify with workspace key “%1”").arg(nameA)
                                           : tr("A verifies with “%1”, B with “%2”").arg(nameA, nameB);
        key = *d.sameKey ? tr("Same key: yes — %1 (thumbprint %2)").arg(who, d.thumbprintA)
                         : tr("Same key: no — %1; thumbprints %2 and %3").arg(who, d.thumbprintA, d.thumbprintB);
    } else if (d.sameKey) {
        key = tr("Same key: %1 — from the embedded jwk headers (self-asserted): thumbprints %2 and %3")
                  .arg(*d.sameKey ? tr("yes") : tr("no"), d.thumbprintA, d.thumbprintB);
    } else {
        QStringList missing;
        if (nameA.isEmpty()) {
            missing << QStringLiteral("A");
        }
        if (nameB.isEmpty()) {
            missing << QStringLiteral("B");
        }
        key = tr("Same key: unknown — no workspace key verifies %1 (import the keys in the Keys pane).")
                  .arg(missing.join(tr(" or ")));
    }
    m_sameKey->setText(key);
    paint(m_sameKey, d.sameKey);
}

void ComparePane::showTimes()
{
    const inspect::TokenDiff& d = *m_outcome.diff;
    m_times->setRowCount(int(d.times.size()));
    for (int row = 0; row < d.times.size(); ++row) {
        const inspect::TimeDelta& t = d.times[row];
        const auto delta = t.delta();
        const QStringList cells = {t.name, timeCell(t, t.a), timeCell(t, t.b),
                                   delta ? signedDuration(*delta) : QStringLiteral("—")};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            if (column == 3 && delta && *delta != 0) {
                item->setForeground(theme::warnColor(palette()));
            }
            m_times->setItem(row, column, item);
        }
    }
    m_times->resizeColumnsToContents();
    m_times->horizontalHeader()->setStretchLastSection(true);
}

void ComparePane::renderBytes()
{
    m_bytes->clear();
    const QList<SegmentBytes>& list = segments();
    if (list.isEmpty()) {
        return;
    }
    const QPalette pal = palette();
    QTextCharFormat plain;
    QTextCharFormat dim;
    dim.setForeground(pal.color(QPalette::PlaceholderText));
    QTextCharFormat heading;
    heading.setFontWeight(QFont::Bold);
    QColor markA = theme::failColor(pal);
    markA.setAlpha(80);
    QColor markB = theme::okColor(pal);
    markB.setAlpha(80);
    QTextCursor cursor(m_bytes->document());
    bool first = true;
    auto newBlock = [&](const QString& segment, const QString& side) {
        if (!first) {
            cursor.insertBlock();
        }
        first = false;
        QTextBlockFormat f;
        f.setProperty(segmentProperty, segment);
        f.setProperty(sideProperty, side);
        cursor.setBlockFormat(f);
    };
    for (const SegmentBytes& s : list) {
        newBlock(s.name, QStringLiteral("heading"));
        QTextCharFormat h = heading;
        h.setForeground(s.marks.equal() ? theme::okColor(pal) : theme::failColor(pal));
        const QString state =
            s.marks.equal() ? tr("equal") : (s.marks.aligned ? tr("differs") : tr("differs (too many edits to align)"));
        cursor.insertText(QStringLiteral("%1 — %2").arg(s.name, state), h);
        cursor.insertText(tr("   A %1 bytes, B %2 bytes%3")
                              .arg(s.a.size())
                              .arg(s.b.size())
                              .arg(s.binary ? tr(", hex, offset by offset") : QString()),
                          dim);
        // Both sides start at the same offset, just before the first difference.
        qsizetype firstMark = std::max(s.a.size(), s.b.size());
        for (const QList<inspect::ByteSpan>* spans : {&s.marks.a, &s.marks.b}) {
            if (!spans->isEmpty()) {
                firstMark = std::min(firstMark, spans->front().start);
            }
        }
        const qsizetype from = s.marks.equal() ? 0 : std::max<qsizetype>(0, firstMark - leadBytes);
        for (int side = 0; side < 2; ++side) {
            const QByteArray& bytes = side == 0 ? s.a : s.b;
            const QList<inspect::ByteSpan>& spans = side == 0 ? s.marks.a : s.marks.b;
            newBlock(s.name, side == 0 ? QStringLiteral("a") : QStringLiteral("b"));
            cursor.insertText(side == 0 ? QStringLiteral("A │ ") : QStringLiteral("B │ "), dim);
            if (from > 0) {
                cursor.insertText(tr("…%1 bytes… ").arg(from), dim);
            }
            QTextCharFormat mark = plain;
            mark.setBackground(side == 0 ? markA : markB);
            mark.setProperty(markProperty, side == 0 ? QStringLiteral("a") : QStringLiteral("b"));
            const qsizetype to = std::min(bytes.size(), from + shownBytes);
            qsizetype span = 0;
            QString run;
            bool runMarked = false;
            for (qsizetype i = from; i < to; ++i) {
                while (span < spans.size() && spans[span].start + spans[span].length <= i) {
                    ++span;
                }
                const bool marked = span < spans.size() && spans[span].start <= i;
                if (marked != runMarked && !run.isEmpty()) {
                    cursor.insertText(run, runMarked ? mark : plain);
                    run.clear();
                }
                runMarked = marked;
                run += byteText(bytes[i], s.binary);
            }
            if (!run.isEmpty()) {
                cursor.insertText(run, runMarked ? mark : plain);
            }
            if (to < bytes.size()) {
                cursor.insertText(tr(" …%1 more bytes").arg(bytes.size() - to), dim);
            }
        }
        newBlock(s.name, QStringLiteral("gap"));
    }
    m_bytes->moveCursor(QTextCursor::Start);
}

void ComparePane::prepareScreenshot()
{
    // The sample token against the same token "after a refresh": new times and jti, a narrower scope, a
    // session id, an RFC 9068 typ, re-signed by core with the workspace key that verifies the sample.
    const QByteArray a = m_workspace->currentToken();
    const auto token = jose::parseCompact(bytes::trimmed(a));
    if (!token || token->kind != jose::TokenKind::Jws) {
        return;
    }
    const jose::JsonScan scan = jose::scanJson(token->payload);
    const jose::JsonObjectView claims(token->payload, scan);
    QByteArray payload = token->payload;
    for (const char* name : {"iat", "nbf", "exp"}) {
        if (const auto v = claims.number(name)) {
            payload = jose::setTopLevelMember(payload, QLatin1String(name), QByteArray::number(qint64(*v) + 900),
                                              jose::InsertAt::AtEnd)
                          .value_or(payload);
        }
    }
    payload = jose::setTopLevelMember(payload, QStringLiteral("jti"), "\"0c7e1a55-2f3b-4d8e-a1b2-6c5d4e3f2a10\"",
                                      jose::InsertAt::AtEnd)
                  .value_or(payload);
    payload = jose::setTopLevelMember(payload, QStringLiteral("scope"), "\"orders:read\"", jose::InsertAt::AtEnd)
                  .value_or(payload);
    payload = jose::setTopLevelMember(payload, QStringLiteral("sid"), "\"s-8f14e45f\"", jose::InsertAt::AtEnd)
                  .value_or(payload);
    const QByteArray header =
        jose::setTopLevelMember(token->header, QStringLiteral("typ"), "\"at+jwt\"", jose::InsertAt::AtEnd)
            .value_or(token->header);
    QList<keys::KeyPtr> candidates;
    for (const workspace::NamedKey& k : m_workspace->keys()) {
        candidates.append(k.key);
    }
    const qsizetype key = inspect::verifyingKey(a, candidates);
    const jose::JsonScan hs = jose::scanJson(header);
    const auto alg = jose::algFromName(jose::JsonObjectView(header, hs).string("alg").value_or(QString()));
    if (key < 0 || !alg) {
        setTokens(a, a);
        return;
    }
    const auto b = jose::signCompact(*alg, candidates[key].get(), header, payload);
    setTokens(a, b ? *b : a);
}

} // namespace tb::ui
