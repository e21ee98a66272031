#include "Files.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QFile>

namespace tb::files {

Result<void> writeFile(const QString& path, const QByteArray& bytes, unsigned mode, bool overwrite)
{
    const QByteArray native = QFile::encodeName(path);
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
    const int fd = ::open(native.constData(), flags, static_cast<mode_t>(mode));
    if (fd < 0) {
        if (errno == EEXIST) {
            return fail(ErrorCode::AlreadyExists,
                        QStringLiteral("%1 already exists (use --force to replace it).").arg(path));
        }
        return fail(ErrorCode::IoError,
                    QStringLiteral("Cannot write %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    // An existing file keeps its old mode through O_TRUNC: set it explicitly.
    bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
    qsizetype written = 0;
    while (ok && written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, static_cast<std::size_t>(bytes.size() - written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        written += n > 0 ? n : 0;
    }
    const int savedErrno = errno;
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        return fail(
            ErrorCode::IoError,
            QStringLiteral("Cannot write %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(savedErrno))));
    }
    return {};
}

} // namespace tb::files
