#include "JsonEditor.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QSyntaxHighlighter>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextLayout>
#include <QTimer>
#include <QVBoxLayout>

#include "TokenView.h"
#include "support/Theme.h"

namespace tb::ui {

// Colours the document from one scan of the whole text (jose::scanJson works on bytes, so byte offsets
// are mapped to the document's UTF-16 positions).
class JsonHighlighter final : public QSyntaxHighlighter
{
public:
    explicit JsonHighlighter(QTextDocument* document)
        : QSyntaxHighlighter(document)
    {}

    // Takes the spans of a new scan after an edit at `from` that moved later text by `delta`. Returns the
    // document range [begin, end) whose colours changed outside the edit itself (the highlighter re-colours
    // the edited blocks on its own); begin >= end when nothing else changed.
    std::pair<int, int> setScan(const QByteArray& bytes, const jose::JsonScan& scan, const QPalette& palette, int from,
                                int delta)
    {
        m_palette = palette;
        std::vector<Span> old = std::move(m_spans);
        m_spans.clear();
        // Byte offset -> UTF-16 offset.
        std::vector<int> map(std::size_t(bytes.size()) + 1);
        int u = 0;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            map[std::size_t(i)] = u;
            const auto c = static_cast<unsigned char>(bytes.at(i));
            if ((c & 0xC0) != 0x80) {
                u += (c >= 0xF0) ? 2 : 1; // 4-byte sequences are surrogate pairs
            }
        }
        map[std::size_t(bytes.size())] = u;
        const auto at = [&](qsizetype offset) {
            return map[std::size_t(std::clamp<qsizetype>(offset, 0, bytes.size()))];
        };
        m_spans.reserve(std::size_t(scan.tokens.size()));
        for (const jose::JsonToken& t : scan.tokens) {
            Kind kind = Kind::Punct;
            switch (t.type) {
            case jose::JsonTokenType::String:
                kind = t.isKey ? Kind::Key : Kind::String;
                break;
            case jose::JsonTokenType::Number:
                kind = Kind::Number;
                break;
            case jose::JsonTokenType::True:
            case jose::JsonTokenType::False:
            case jose::JsonTokenType::Null:
                kind = Kind::Literal;
                break;
            default:
                continue;
            }
            m_spans.push_back({at(t.offset), at(t.offset + t.length), kind});
        }
        for (const jose::JsonDuplicateKey& d : scan.duplicates) {
            const auto it = std::find_if(scan.tokens.cbegin(), scan.tokens.cend(),
                                         [&](const jose::JsonToken& t) { return t.offset == d.duplicate.offset; });
            const qsizetype len = it == scan.tokens.cend() ? 1 : it->length;
            m_spans.push_back({at(d.duplicate.offset), at(d.duplicate.offset + len), Kind::Duplicate});
        }
        if (scan.error) {
            const qsizetype off = scan.error->position.offset;
            qsizetype end = bytes.indexOf('\n', off);
            if (end < 0) {
                end = bytes.size();
            }
            m_spans.push_back({at(off), std::max(at(end), at(off) + 1), Kind::Error});
        }
        std::stable_sort(m_spans.begin(), m_spans.end(),
                         [](const Span& a, const Span& b) { return a.begin < b.begin; });
        return changedRange(old, from, delta);
    }

    // Long blocks (compact JSON on one line) are coloured only inside the window [begin, end) of document
    // positions, which the editor keeps around the visible text: Qt's layout cost grows with the square of a
    // block's colour ranges (each one splits its item list, QTextEngine::setBoundary), and a 12 KB line
    // coloured in full tripled the cost of each keystroke. Underlines for errors and duplicates are always kept.
    static constexpr int longBlockChars = 4096;
    void setWindow(int begin, int end) { m_window = {begin, end}; }
    [[nodiscard]] std::pair<int, int> window() const { return m_window; }
    void shiftWindow(int from, int delta)
    {
        const auto shift = [&](int pos) { return pos < from ? pos : std::max(from, pos + delta); };
        m_window = {shift(m_window.first), shift(m_window.second)};
    }

protected:
    void highlightBlock(const QString& text) override
    {
        const int start = currentBlock().position();
        const int end = start + int(text.size()) + 1;
        const bool windowed = text.size() > longBlockChars;
        const int lo = windowed ? std::max(start, m_window.first) : start;
        const int hi = windowed ? std::min(end, m_window.second) : end;
        const QPalette& pal = m_palette;
        auto it = std::lower_bound(m_spans.cbegin(), m_spans.cend(), start,
                                   [](const Span& s, int pos) { return s.begin < pos; });
        // Spans starting before the block may still cover it (long strings, errors): step back a little.
        while (it != m_spans.cbegin() && std::prev(it)->end > start) {
            --it;
        }
        for (; it != m_spans.cend() && it->begin < end; ++it) {
            const bool underline = it->kind == Kind::Duplicate || it->kind == Kind::Error;
            const int b = std::max(it->begin, underline ? start : lo) - start;
            const int e = std::min(it->end, underline ? end : hi) - start;
            if (e <= b) {
                continue;
            }
            QTextCharFormat f = format(b);
            switch (it->kind) {
            case Kind::Key:
                f.setForeground(theme::keyColor(pal));
                break;
            case Kind::String:
                f.setForeground(theme::stringColor(pal));
                break;
            case Kind::Number:
                f.setForeground(theme::numberColor(pal));
                break;
            case Kind::Literal:
                f.setForeground(theme::literalColor(pal));
                break;
            case Kind::Duplicate:
                f.setUnderlineStyle(QTextCharFormat::WaveUnderline);
                f.setUnderlineColor(theme::warnColor(pal));
                break;
            case Kind::Error:
                f.setUnderlineStyle(QTextCharFormat::WaveUnderline);
                f.setUnderlineColor(theme::failColor(pal));
                break;
            case Kind::Punct:
                break;
            }
            setFormat(b, e - b, f);
        }
    }

private:
    enum class Kind
    {
        Key,
        String,
        Number,
        Literal,
        Punct,
        Duplicate,
        Error,
    };
    struct Span
    {
        int begin;
        int end;
        Kind kind;
        bool operator==(const Span&) const = default;
    };
    // Spans equal before the edit and equal shifted by delta after it are unchanged; the rest is the range.
    std::pair<int, int> changedRange(const std::vector<Span>& old, int from, int delta) const
    {
        const auto shifted = [&](Span sp) {
            sp.begin = sp.begin < from ? sp.begin : std::max(from, sp.begin + delta);
            sp.end = sp.end < from ? sp.end : std::max(from, sp.end + delta);
            return sp;
        };
        std::size_t head = 0;
        while (head < old.size() && head < m_spans.size() && old[head] == m_spans[head]) {
            ++head;
        }
        std::size_t tail = 0;
        while (tail < old.size() - head && tail < m_spans.size() - head &&
               shifted(old[old.size() - 1 - tail]) == m_spans[m_spans.size() - 1 - tail]) {
            ++tail;
        }
        int begin = std::numeric_limits<int>::max();
        int end = 0;
        for (std::size_t i = head; i < m_spans.size() - tail; ++i) {
            begin = std::min(begin, m_spans[i].begin);
            end = std::max(end, m_spans[i].end);
        }
        for (std::size_t i = head; i < old.size() - tail; ++i) {
            const Span sp = shifted(old[i]);
            begin = std::min(begin, sp.begin);
            end = std::max(end, sp.end);
        }
        return {begin, end};
    }

    std::vector<Span> m_spans;
    QPalette m_palette;
    std::pair<int, int> m_window{0, 2 * longBlockChars};
};

JsonEditor::JsonEditor(const QString& name, const QString& accessibleTitle, QWidget* parent)
    : QWidget(parent)
{
    setObjectName(name + QStringLiteral("Panel"));
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(name + QStringLiteral("Editor"));
    m_edit->setAccessibleName(accessibleTitle);
    m_edit->setFont(theme::codeFont());
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setTabChangesFocus(true);
    // Connected before the highlighter exists, so this runs first: the blocks the highlighter re-colours after
    // an edit get the new scan's colours, and only other blocks whose colours changed are redone (textChanged).
    connect(m_edit->document(), &QTextDocument::contentsChange, this, [this](int from, int removed, int added) {
        if (m_rescanning || m_large) {
            return;
        }
        const QByteArray text = bytes();
        if (text == m_scannedText) {
            return; // a format change (highlighting)
        }
        m_lastEdit = Edit{from, added - removed, added, true};
        m_highlighter->shiftWindow(from, added - removed);
        keepLayoutData(m_edit->document()->findBlock(from));
        rescan(text);
    });
    m_highlighter = new JsonHighlighter(m_edit->document());
    // The colour window of long lines follows the view, once scrolling or resizing settles.
    m_windowTimer = new QTimer(this);
    m_windowTimer->setSingleShot(true);
    m_windowTimer->setInterval(0);
    connect(m_windowTimer, &QTimer::timeout, this, &JsonEditor::followView);
    connect(m_edit->verticalScrollBar(), &QScrollBar::valueChanged, m_windowTimer, qOverload<>(&QTimer::start));
    m_edit->viewport()->installEventFilter(this);

    m_pretty = new QPushButton(tr("Pretty"), this);
    m_pretty->setObjectName(name + QStringLiteral("Pretty"));
    m_pretty->setToolTip(tr("Indent the JSON (changes whitespace only)"));
    m_pretty->setAccessibleName(tr("Pretty-print %1").arg(accessibleTitle));
    m_compact = new QPushButton(tr("Compact"), this);
    m_compact->setObjectName(name + QStringLiteral("Compact"));
    m_compact->setToolTip(tr("Remove insignificant whitespace (changes whitespace only)"));
    m_compact->setAccessibleName(tr("Compact %1").arg(accessibleTitle));
    m_status = new QLabel(this);
    m_status->setObjectName(name + QStringLiteral("Status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Texts over largeTextBytes are shown in a viewer that lays nothing out (a 1 MB line in the editor takes
    // a quarter of a second per layout); the user can still load them into the editor.
    m_viewer = new TokenView(this);
    m_viewer->setObjectName(name + QStringLiteral("Viewer"));
    m_viewer->setAccessibleName(tr("%1 (read-only, large)").arg(accessibleTitle));
    m_viewer->setPlain(true);
    m_editHere = new QPushButton(tr("Edit Here"), this);
    m_editHere->setObjectName(name + QStringLiteral("EditHere"));
    m_editHere->setToolTip(tr("Load the large text into the editor (each change then takes a moment)"));
    m_editHere->setVisible(false);
    connect(m_editHere, &QPushButton::clicked, this, &JsonEditor::loadIntoEditor);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_edit);
    m_stack->addWidget(m_viewer);

    // The status gets a line of its own: errors and the large-text note are long, and beside three buttons in
    // a narrow panel they wrapped into a column that squeezed the editor.
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_editHere);
    buttons->addWidget(m_pretty);
    buttons->addWidget(m_compact);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);

    // textChanged also fires for highlighting (format) changes: react only after a text change.
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (m_rescanning || !m_lastEdit.pending) {
            return;
        }
        m_lastEdit.pending = false;
        recolour();
        if (!m_settingText) {
            emit edited();
        }
    });
    connect(m_pretty, &QPushButton::clicked, this, [this] { reformat(true); });
    connect(m_compact, &QPushButton::clicked, this, [this] { reformat(false); });
    rescan(QByteArray());
}

// QTextLayout frees its items and glyphs after each layout unless asked to keep them; a long block then
// re-itemises and recomputes its character attributes for every cursor draw and cursor rectangle query
// (seven per keystroke), each costing as much as a layout.
void JsonEditor::keepLayoutData(const QTextBlock& block)
{
    if (block.isValid() && block.length() > JsonHighlighter::longBlockChars && block.length() <= largeTextBytes) {
        block.layout()->setCacheEnabled(true);
    }
}

bool JsonEditor::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_edit->viewport() && (event->type() == QEvent::Resize || event->type() == QEvent::Show)) {
        m_windowTimer->start();
    }
    return QWidget::eventFilter(watched, event);
}

void JsonEditor::followView()
{
    if (!m_highlighter->document() || !m_edit->isVisible()) {
        return;
    }
    const QRect view = m_edit->viewport()->rect();
    const int first = m_edit->cursorForPosition(view.topLeft()).position();
    const int last = m_edit->cursorForPosition(view.bottomRight()).position();
    const auto [begin, end] = m_highlighter->window();
    if (first >= begin && last <= end) {
        return;
    }
    // A viewport of text on either side, so that small scrolls need no new layout.
    const int margin = std::max(1024, last - first);
    m_highlighter->setWindow(std::max(0, first - margin), last + margin);
    m_rescanning = true;
    for (QTextBlock b = m_edit->document()->findBlock(first); b.isValid() && b.position() <= last; b = b.next()) {
        if (b.length() > JsonHighlighter::longBlockChars) {
            m_highlighter->rehighlightBlock(b);
        }
    }
    m_rescanning = false;
}

void JsonEditor::recolour()
{
    if (!m_highlighter->document() || m_dirty.first >= m_dirty.second) {
        return;
    }
    m_rescanning = true;
    const int from = m_lastEdit.from;
    const int to = from + m_lastEdit.added;
    for (QTextBlock b = m_edit->document()->findBlock(m_dirty.first); b.isValid() && b.position() < m_dirty.second;
         b = b.next()) {
        if (b.position() + b.length() <= from || b.position() > to) { // the highlighter did the edited blocks
            m_highlighter->rehighlightBlock(b);
        }
    }
    m_rescanning = false;
}

JsonEditor::~JsonEditor() = default;

QByteArray JsonEditor::bytes() const
{
    return m_large ? m_largeBytes : m_edit->toPlainText().toUtf8();
}

void JsonEditor::setBytes(const QByteArray& bytes, jose::JsonScan scan)
{
    if (bytes.size() > largeTextBytes) {
        showLarge(bytes, std::move(scan));
        return;
    }
    setBytes(bytes);
}

void JsonEditor::setBytes(const QByteArray& bytes)
{
    if (bytes.size() > largeTextBytes) {
        showLarge(bytes, std::nullopt);
        return;
    }
    if (m_large) {
        m_large = false;
        m_largeBytes.clear();
        m_viewer->setToken({});
        m_stack->setCurrentWidget(m_edit);
        m_editHere->setVisible(false);
    }
    setEditorText(bytes);
}

void JsonEditor::showLarge(const QByteArray& bytes, std::optional<jose::JsonScan> scan)
{
    m_large = true;
    m_largeBytes = bytes;
    m_rescanning = true;
    m_edit->clear();
    m_rescanning = false;
    m_viewer->setToken(bytes);
    m_stack->setCurrentWidget(m_viewer);
    m_editHere->setVisible(true);
    m_editHere->setEnabled(!m_edit->isReadOnly());
    m_lastEdit = {};
    rescan(bytes, std::move(scan));
}

void JsonEditor::loadIntoEditor()
{
    const QByteArray text = std::exchange(m_largeBytes, {});
    m_large = false;
    m_viewer->setToken({});
    m_editHere->setVisible(false);
    m_stack->setCurrentWidget(m_edit);
    setEditorText(text);
    m_edit->setFocus();
}

void JsonEditor::setEditorText(const QByteArray& bytes)
{
    m_settingText = true;
    // Scanned before the text arrives, so that the highlighter colours it from the new scan in one pass and a
    // huge text arrives with colours and wrapping already off (setPlainText first empties the document, and
    // reacting to that would switch them back on just before the huge line).
    m_lastEdit = {};
    rescan(bytes);
    m_highlighter->setWindow(0, 2 * JsonHighlighter::longBlockChars); // the top, until the view is known
    m_rescanning = true;
    m_edit->setPlainText(QString::fromUtf8(bytes));
    m_rescanning = false;
    for (QTextBlock b = m_edit->document()->begin(); b.isValid(); b = b.next()) {
        keepLayoutData(b);
    }
    m_settingText = false;
    m_windowTimer->start();
}

void JsonEditor::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
    m_editHere->setEnabled(!readOnly);
    m_pretty->setEnabled(!readOnly);
    m_compact->setEnabled(!readOnly);
}

void JsonEditor::rescan(const QByteArray& text, std::optional<jose::JsonScan> scan)
{
    m_scannedText = text;
    m_scan = scan ? std::move(*scan) : jose::scanJson(text);
    // Very large texts: no colours and no wrapping, so that laying out the text stays fast.
    const bool large = text.size() > largeTextBytes;
    if (large != (m_highlighter->document() == nullptr)) {
        m_rescanning = true;
        m_highlighter->setDocument(large ? nullptr : m_edit->document());
        m_edit->setLineWrapMode(large ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
        m_rescanning = false;
    }
    m_dirty = {0, 0};
    if (!large) {
        m_dirty = m_highlighter->setScan(text, m_scan, palette(), m_lastEdit.from, m_lastEdit.delta);
    }
    const QPalette pal = palette();
    QStringList lines;
    QColor colour = theme::okColor(pal);
    if (text.trimmed().isEmpty()) {
        lines << tr("Empty.");
        colour = pal.color(QPalette::PlaceholderText);
    } else if (m_scan.error) {
        lines << tr("Line %1, column %2: %3")
                     .arg(m_scan.error->position.line)
                     .arg(m_scan.error->position.column)
                     .arg(m_scan.error->message);
        colour = theme::failColor(pal);
    } else if (!m_scan.topLevelIsObject) {
        lines << tr("Valid JSON, but not an object.");
        colour = theme::warnColor(pal);
    } else {
        lines << (m_large
                      ? tr("Valid JSON object (%1 bytes, read-only above 256 KB).").arg(QLocale().toString(text.size()))
                  : large ? tr("Valid JSON object (%1 bytes: syntax colours are off above 256 KB).")
                                .arg(QLocale().toString(text.size()))
                          : tr("Valid JSON object."));
    }
    for (const jose::JsonDuplicateKey& d : m_scan.duplicates) {
        lines << tr("Duplicate key \"%1\" at line %2, column %3 (first at line %4, column %5).")
                     .arg(d.key)
                     .arg(d.duplicate.line)
                     .arg(d.duplicate.column)
                     .arg(d.first.line)
                     .arg(d.first.column);
        if (colour == theme::okColor(pal)) {
            colour = theme::warnColor(pal);
        }
    }
    m_status->setText(lines.join(QLatin1Char('\n')));
    QPalette lp = m_status->palette();
    lp.setColor(QPalette::WindowText, colour);
    m_status->setPalette(lp);
    const bool usable = !m_scan.error && !text.trimmed().isEmpty() && !m_edit->isReadOnly();
    m_pretty->setEnabled(usable);
    m_compact->setEnabled(usable);
}

void JsonEditor::reformat(bool pretty)
{
    const QByteArray text = bytes();
    const auto result = pretty ? jose::prettyJson(text) : jose::compactJson(text);
    if (!result || *result == text) {
        return;
    }
    if (m_large) {
        setBytes(*result);
        emit edited();
        return;
    }
    // One undoable edit.
    QTextCursor cursor(m_edit->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromUtf8(*result));
}

} // namespace tb::ui
