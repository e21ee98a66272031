#pragma once

#include <cstdint>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "audit/crack/Crack.h"
#include "base/Error.h"

namespace tb::audit::crack {

// A saved weak-secret search: which token, which candidate source, and how far it got. Never holds a secret (a
// found one is not written; DESIGN decision 5), so the file may be kept next to the wordlist.
struct CrackSession
{
    QString tokenDigest;          // sessionTokenDigest() of the target: a session resumes only its own token
    QString source;               // the options that shape the unit space ("wordlist:words.txt:1234 bytes;rules")
    std::uint64_t units = 0;      // units in that source
    std::uint64_t position = 0;   // every unit before it was tried
    std::uint64_t candidates = 0; // tried over every run so far
    bool finished = false;        // the whole source was tried (or the secret found)
    bool found = false;
};

// SHA-256 (hex) of the signing input, a '.', and the tag: names the token without storing it.
QString sessionTokenDigest(const Target& target);

QByteArray sessionToJson(const CrackSession& session);
// Fails with BadJson when the text is not a session this version wrote.
Result<CrackSession> sessionFromJson(QByteArrayView json);

// Written atomically (a crash leaves the previous state), mode 0600 like other state files.
Result<void> saveSession(const QString& path, const CrackSession& session);
// Reads at most 64 KiB.
Result<CrackSession> loadSession(const QString& path);

// The unit to start from when `saved` is continued by a run described by `current` (its tokenDigest, source and
// units). Fails with InvalidArgument, naming what differs, when the session belongs to another search.
Result<std::uint64_t> resumePosition(const CrackSession& saved, const CrackSession& current);

} // namespace tb::audit::crack
