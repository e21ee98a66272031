#pragma once

#include <QPlainTextEdit>

namespace tb::ui {

class TokenHighlighter;

// A compact token in a monospace editor, segments coloured header / payload / signature (JWE: its five
// parts cycle through the same colours). Wraps anywhere, since tokens have no spaces.
class TokenEdit final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenEdit)

public:
    explicit TokenEdit(QWidget* parent = nullptr);
    ~TokenEdit() override;

    [[nodiscard]] QByteArray token() const; // trimmed Latin-1 bytes of the text
    void setToken(const QByteArray& token);

protected:
    void changeEvent(QEvent* event) override;

private:
    TokenHighlighter* m_highlighter = nullptr;
};

} // namespace tb::ui
