#include "TokenEdit.h"

#include <QEvent>
#include <QFontDatabase>
#include <QLocale>
#include <QSyntaxHighlighter>

#include "base/Bytes.h"
#include "support/Theme.h"

namespace tb::ui {

class TokenHighlighter final : public QSyntaxHighlighter
{
public:
    explicit TokenHighlighter(QTextDocument* document)
        : QSyntaxHighlighter(document)
    {}
    QPalette palette;

protected:
    void highlightBlock(const QString& text) override
    {
        // Segment index carried from the previous block (a token pasted across several lines).
        int segment = std::max(previousBlockState(), 0);
        const QColor colours[3] = {theme::headerColor(palette), theme::payloadColor(palette),
                                   theme::signatureColor(palette)};
        qsizetype start = 0;
        for (qsizetype i = 0; i <= text.size(); ++i) {
            if (i == text.size() || text.at(i) == QLatin1Char('.')) {
                setFormat(int(start), int(i - start), colours[segment % 3]);
                if (i < text.size()) {
                    QTextCharFormat dot;
                    dot.setFontWeight(QFont::Bold);
                    setFormat(int(i), 1, dot);
                    ++segment;
                }
                start = i + 1;
            }
        }
        setCurrentBlockState(segment);
    }
};

TokenEdit::TokenEdit(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setWordWrapMode(QTextOption::WrapAnywhere);
    setTabChangesFocus(true);
    m_highlighter = new TokenHighlighter(document());
    m_highlighter->palette = palette();
}

TokenEdit::~TokenEdit() = default;

QByteArray TokenEdit::token() const
{
    if (!m_full.isEmpty()) {
        return m_full;
    }
    return bytes::trimmed(toPlainText().toLatin1()).toByteArray();
}

void TokenEdit::setToken(const QByteArray& token)
{
    if (token == this->token()) {
        return;
    }
    if (!m_full.isEmpty()) {
        m_full.clear();
        setReadOnly(m_wasReadOnly);
    }
    if (token.size() <= previewBytes) {
        setPlainText(QString::fromLatin1(token));
        return;
    }
    m_wasReadOnly = isReadOnly();
    m_full = token; // before setPlainText, so textChanged handlers read the full token
    setReadOnly(true);
    setPlainText(QString::fromLatin1(token.first(previewBytes)) +
                 tr("… (%1 more bytes not shown; paste a new token with Ctrl+V to replace it)")
                     .arg(QLocale().toString(token.size() - previewBytes)));
}

void TokenEdit::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->palette = palette();
        m_highlighter->rehighlight();
    }
    QPlainTextEdit::changeEvent(event);
}

} // namespace tb::ui
