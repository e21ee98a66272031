#include "Preferences.h"

#include <algorithm>

#include <QApplication>
#include <QPalette>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>

namespace tb::ui {

namespace {

const QString kTheme = QStringLiteral("preferences/theme");
const QString kLeeway = QStringLiteral("preferences/leeway");
const QString kAccessLifetime = QStringLiteral("preferences/maxAccessLifetimeMinutes");
const QString kCrackThreads = QStringLiteral("preferences/crackThreads");

// The style and palette the application started with, restored when the user goes back to "System".
struct SystemLook
{
    QString styleName;
    QPalette palette;
};

SystemLook& systemLook()
{
    static SystemLook look{QApplication::style() != nullptr ? QApplication::style()->name() : QString(),
                           QApplication::palette()};
    return look;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x80, 0x84, 0x8a);
    const QColor highlight(0x35, 0x74, 0xf0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6e, 0xa8, 0xfe));
    p.setColor(QPalette::LinkVisited, QColor(0xb1, 0x8c, 0xfe));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x45));
    p.setColor(QPalette::Mid, QColor(0x32, 0x34, 0x37));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    p.setColor(QPalette::Shadow, Qt::black);
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, disabled);
    }
    return p;
}

QPalette lightPalette()
{
    QPalette p(QColor(0xef, 0xf0, 0xf1)); // a button colour from which Qt derives the rest
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Text, QColor(0x1d, 0x1f, 0x21));
    p.setColor(QPalette::WindowText, QColor(0x1d, 0x1f, 0x21));
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x6a, 0xd8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    return p;
}

} // namespace

Preferences& Preferences::instance()
{
    static Preferences* prefs = new Preferences; // lives as long as the process; QObject needs no static dtor order
    return *prefs;
}

Preferences::Theme Preferences::theme() const
{
    return themeFromName(QSettings().value(kTheme).toString());
}

void Preferences::setTheme(Theme theme)
{
    QSettings().setValue(kTheme, themeName(theme));
    emit changed();
}

int Preferences::defaultLeeway() const
{
    return std::clamp(QSettings().value(kLeeway, 0).toInt(), 0, 86400);
}

void Preferences::setDefaultLeeway(int seconds)
{
    QSettings().setValue(kLeeway, std::clamp(seconds, 0, 86400));
    emit changed();
}

int Preferences::maxAccessLifetimeMinutes() const
{
    return std::clamp(QSettings().value(kAccessLifetime, 15).toInt(), 1, 525600);
}

void Preferences::setMaxAccessLifetimeMinutes(int minutes)
{
    QSettings().setValue(kAccessLifetime, std::clamp(minutes, 1, 525600));
    emit changed();
}

int Preferences::crackThreads() const
{
    return std::clamp(QSettings().value(kCrackThreads, 0).toInt(), 0, 256);
}

void Preferences::setCrackThreads(int threads)
{
    QSettings().setValue(kCrackThreads, std::clamp(threads, 0, 256));
    emit changed();
}

void Preferences::applyTheme(Theme theme)
{
    const SystemLook& system = systemLook();
    if (theme == Theme::System) {
        if (!system.styleName.isEmpty()) {
            QApplication::setStyle(system.styleName);
        }
        QApplication::setPalette(system.palette);
        return;
    }
    // Fusion draws every control from the palette, so a forced light or dark palette looks whole.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
}

QString themeName(Preferences::Theme theme)
{
    switch (theme) {
    case Preferences::Theme::Light:
        return QStringLiteral("light");
    case Preferences::Theme::Dark:
        return QStringLiteral("dark");
    case Preferences::Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Preferences::Theme themeFromName(const QString& name)
{
    if (name == QStringLiteral("light")) {
        return Preferences::Theme::Light;
    }
    if (name == QStringLiteral("dark")) {
        return Preferences::Theme::Dark;
    }
    return Preferences::Theme::System;
}

} // namespace tb::ui
