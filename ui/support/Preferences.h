#pragma once

#include <QObject>

namespace tb::ui {

// Application preferences kept in QSettings (not in workspace files): how the window looks and the
// defaults the panes start from. One instance per process; `changed` tells the panes to re-read.
class Preferences final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Preferences)

public:
    enum class Theme
    {
        System, // follow the desktop's palette
        Light,
        Dark,
    };

    static Preferences& instance();

    [[nodiscard]] Theme theme() const;
    void setTheme(Theme theme);
    // Default leeway of the Verify policy, seconds.
    [[nodiscard]] int defaultLeeway() const;
    void setDefaultLeeway(int seconds);
    // Longest access-token lifetime the linter accepts without a finding, minutes (RFC 8725 / OWASP: short).
    [[nodiscard]] int maxAccessLifetimeMinutes() const;
    void setMaxAccessLifetimeMinutes(int minutes);
    // Threads for the weak-secret search; 0 = all cores.
    [[nodiscard]] int crackThreads() const;
    void setCrackThreads(int threads);

    // Applies a theme to the running application (Fusion with a light or dark palette, or the system's).
    static void applyTheme(Theme theme);

signals:
    void changed();

private:
    Preferences() = default;
    ~Preferences() override = default;
};

QString themeName(Preferences::Theme theme);
// "system", "light" or "dark"; nullopt-like System for anything else.
Preferences::Theme themeFromName(const QString& name);

} // namespace tb::ui
