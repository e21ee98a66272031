#include "JsonEditor.h"

#include <algorithm>

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSyntaxHighlighter>
#include <QTextCursor>
#include <QVBoxLayout>

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

    void setScan(const QByteArray& bytes, const jose::JsonScan& scan, const QPalette& palette)
    {
        m_palette = palette;
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
        rehighlight();
    }

protected:
    void highlightBlock(const QString& text) override
    {
        const int start = currentBlock().position();
        const int end = start + int(text.size()) + 1;
        const QPalette& pal = m_palette;
        auto it = std::lower_bound(m_spans.cbegin(), m_spans.cend(), start,
                                   [](const Span& s, int pos) { return s.begin < pos; });
        // Spans starting before the block may still cover it (long strings, errors): step back a little.
        while (it != m_spans.cbegin() && std::prev(it)->end > start) {
            --it;
        }
        for (; it != m_spans.cend() && it->begin < end; ++it) {
            const int b = std::max(it->begin, start) - start;
            const int e = std::min(it->end, end) - start;
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
    };
    std::vector<Span> m_spans;
    QPalette m_palette;
};

JsonEditor::JsonEditor(const QString& name, const QString& accessibleTitle, QWidget* parent)
    : QWidget(parent)
{
    setObjectName(name + QStringLiteral("Panel"));
    m_edit = new QPlainTextEdit(this);
    m_edit->setObjectName(name + QStringLiteral("Editor"));
    m_edit->setAccessibleName(accessibleTitle);
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setTabChangesFocus(true);
    m_highlighter = new JsonHighlighter(m_edit->document());

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

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_pretty);
    buttons->addWidget(m_compact);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addLayout(buttons);

    // textChanged also fires for highlighting (format) changes: react only when the text differs.
    connect(m_edit, &QPlainTextEdit::textChanged, this, [this] {
        if (m_rescanning || bytes() == m_scannedText) {
            return;
        }
        rescan();
        if (!m_settingText) {
            emit edited();
        }
    });
    connect(m_pretty, &QPushButton::clicked, this, [this] { reformat(true); });
    connect(m_compact, &QPushButton::clicked, this, [this] { reformat(false); });
    rescan();
}

JsonEditor::~JsonEditor() = default;

QByteArray JsonEditor::bytes() const
{
    return m_edit->toPlainText().toUtf8();
}

void JsonEditor::setBytes(const QByteArray& bytes)
{
    m_settingText = true;
    const bool large = bytes.size() > largeTextBytes;
    if (large && m_highlighter->document()) {
        // Before the text arrives: wrapping and colouring a huge line is what would freeze the window.
        m_highlighter->setDocument(nullptr);
        m_edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_edit->setPlainText(QString::fromUtf8(bytes));
    m_settingText = false;
}

void JsonEditor::setReadOnly(bool readOnly)
{
    m_edit->setReadOnly(readOnly);
    m_pretty->setEnabled(!readOnly);
    m_compact->setEnabled(!readOnly);
}

void JsonEditor::rescan()
{
    const QByteArray text = bytes();
    m_scannedText = text;
    m_scan = jose::scanJson(text);
    // Very large texts: no colours and no wrapping, so that laying out the text stays fast.
    const bool large = text.size() > largeTextBytes;
    if (large != (m_highlighter->document() == nullptr)) {
        m_rescanning = true;
        m_highlighter->setDocument(large ? nullptr : m_edit->document());
        m_edit->setLineWrapMode(large ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
        m_rescanning = false;
    }
    if (!large) {
        m_rescanning = true;
        m_highlighter->setScan(text, m_scan, palette());
        m_rescanning = false;
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
        lines << (large ? tr("Valid JSON object (%1 bytes: syntax colours are off above 256 KB).")
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
    // One undoable edit.
    QTextCursor cursor(m_edit->document());
    cursor.select(QTextCursor::Document);
    cursor.insertText(QString::fromUtf8(*result));
}

} // namespace tb::ui
