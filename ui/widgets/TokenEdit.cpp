#include "TokenEdit.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QLocale>
#include <QSignalBlocker>
#include <QSyntaxHighlighter>
#include <QTextCursor>

#include "TokenView.h"
#include "base/Bytes.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

// Segment i's colour (a JWE's five parts cycle through the three).
QTextCharFormat segmentFormat(const QPalette& palette, int segment)
{
    const QColor colours[3] = {theme::headerColor(palette), theme::payloadColor(palette),
                               theme::signatureColor(palette)};
    QTextCharFormat f;
    f.setForeground(colours[segment % 3]);
    return f;
}

QTextCharFormat dotFormat()
{
    QTextCharFormat dot;
    dot.setFontWeight(QFont::Bold);
    return dot;
}

} // namespace

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
        qsizetype start = 0;
        for (qsizetype i = 0; i <= text.size(); ++i) {
            if (i == text.size() || text.at(i) == QLatin1Char('.')) {
                setFormat(int(start), int(i - start), segmentFormat(palette, segment));
                if (i < text.size()) {
                    setFormat(int(i), 1, dotFormat());
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
    setFont(theme::codeFont());
    setWordWrapMode(QTextOption::WrapAnywhere);
    setTabChangesFocus(true);
    m_highlighter = new TokenHighlighter(document());
    m_highlighter->palette = palette();
    m_view = new TokenView(this);
    m_view->setObjectName(QStringLiteral("largeTokenView"));
    m_view->hide();
    m_view->installEventFilter(this);
}

void TokenEdit::setTextColoured(const QString& text)
{
    if (m_highlighter->document()) {
        setPlainText(text);
        return;
    }
    // Read-only: the segments are inserted already coloured, so the text is laid out once (a highlighter
    // would colour it in a second pass, a second layout of the whole token).
    const bool undo = document()->isUndoRedoEnabled();
    document()->setUndoRedoEnabled(false);
    QTextCursor c(document());
    c.beginEditBlock();
    c.select(QTextCursor::Document);
    c.removeSelectedText();
    int segment = 0;
    for (qsizetype start = 0; start <= text.size();) {
        qsizetype dot = text.indexOf(QLatin1Char('.'), start);
        if (dot < 0) {
            dot = text.size();
        }
        c.insertText(text.sliced(start, dot - start), segmentFormat(palette(), segment++));
        if (dot < text.size()) {
            c.insertText(QStringLiteral("."), dotFormat());
        }
        start = dot + 1;
    }
    c.endEditBlock();
    document()->setUndoRedoEnabled(undo);
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
        m_view->hide();
        m_view->setToken({});
        setReadOnly(m_wasReadOnly);
    }
    if (token.size() <= previewBytes) {
        setTextColoured(QString::fromLatin1(token));
        return;
    }
    m_wasReadOnly = isReadOnly();
    m_full = token; // before textChanged, so that its handlers read the full token
    setReadOnly(true);
    {
        const QSignalBlocker blocker(this); // one textChanged below, whatever the text was
        setPlainText(tr("A %1-byte token (read-only; paste a new token with Ctrl+V to replace it)")
                         .arg(QLocale().toString(token.size())));
    }
    m_view->setAccessibleName(accessibleName());
    m_view->setToken(token);
    m_view->setGeometry(contentsRect());
    m_view->show();
    m_view->raise();
    emit textChanged();
}

void TokenEdit::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    m_view->setGeometry(contentsRect());
}

bool TokenEdit::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event) == QKeySequence::Paste && !m_wasReadOnly) {
        setToken(bytes::trimmed(QApplication::clipboard()->text().toLatin1()).toByteArray());
        return true;
    }
    return QPlainTextEdit::eventFilter(watched, event);
}

void TokenEdit::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) {
        m_highlighter->palette = palette();
        if (m_highlighter->document()) {
            m_highlighter->rehighlight(); // read-only text takes the new colours at its next setToken()
        }
    } else if (event->type() == QEvent::ReadOnlyChange && isReadOnly() == bool(m_highlighter->document())) {
        // Only typed text needs colouring as it changes: read-only text is coloured by setToken().
        m_highlighter->setDocument(isReadOnly() ? nullptr : document());
    }
    QPlainTextEdit::changeEvent(event);
}

} // namespace tb::ui
