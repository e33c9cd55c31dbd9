package io.natsee.streaming.store.file;

import io.natsee.streaming.store.CorruptStoreException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebuilds a channel's segments and their index from the segment files: checks every record,
 * truncates a torn tail of the last segment with a warning, and refuses (or, with
 * {@link FileStoreOptions#truncateBadEof()}, truncates) a bad record in an earlier one.
 */
final class SegmentRecovery {

    private static final Pattern NAME = Pattern.compile("msgs\\.(\\d{1,9})\\.dat");
    private static final System.Logger LOG = System.getLogger(FileStore.class.getName());

    private final FileMsgStore target;
    private final String channel;
    private final Path directory;
    private final FileStoreOptions options;

    SegmentRecovery(FileMsgStore target, String channel, Path directory, FileStoreOptions options) {
        this.target = target;
        this.channel = channel;
        this.directory = directory;
        this.options = options;
    }

    void run() throws IOException {
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "msgs.*.dat")) {
            for (Path file : files) {
                Matcher matcher = NAME.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    numbers.add(Integer.parseInt(matcher.group(1)));
                }
            }
        }
        numbers.sort(null);
        List<Segment> found = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            boolean lastFile = i == numbers.size() - 1;
            Path path = directory.resolve(Segment.fileName(numbers.get(i)));
            Scan scan = new Scan(numbers.get(i), path);
            RecordLog.ScanResult result;
            try {
                result = RecordLog.scan(path, options.crcCheck(), scan::record);
            } catch (CorruptStoreException e) {
                throw new CorruptStoreException("channel " + channel + ": " + path.getFileName() + ": "
                        + e.getMessage(), e);
            }
            if (scan.segment == null) {
                if ((!lastFile && result.fileSize() > 0 && !options.truncateBadEof())
                        || !FileUtil.tornAtCreation(path, FileMsgStore.HEADER_BYTES)) {
                    throw corrupt(path, result);
                }
                LOG.log(System.Logger.Level.WARNING, "channel {0}: removed segment {1} without a complete header "
                        + "({2} bytes, torn when it was created)", channel, path.getFileName(), result.fileSize());
                Files.delete(path);
                continue;
            }
            boolean stop = false;
            if (!result.clean()) {
                if (!lastFile && !options.truncateBadEof()) {
                    throw corrupt(path, result);
                }
                LOG.log(System.Logger.Level.WARNING, "channel {0}: {1} at offset {2} of {3}: truncated {4} bytes",
                        channel, result.problem(), result.validEnd(), path.getFileName(),
                        result.fileSize() - result.validEnd());
                if (!lastFile) {
                    for (int j = i + 1; j < numbers.size(); j++) {
                        Path later = directory.resolve(Segment.fileName(numbers.get(j)));
                        LOG.log(System.Logger.Level.WARNING, "channel {0}: removed segment {1} after a truncated one",
                                channel, later.getFileName());
                        Files.delete(later);
                    }
                    stop = true;
                }
            }
            Segment segment = scan.segment;
            if (!found.isEmpty()) {
                Segment previous = found.get(found.size() - 1);
                if (segment.startLast > previous.lastSequence()) {
                    for (Segment stale : found) {
                        LOG.log(System.Logger.Level.WARNING, "channel {0}: removed stale segment {1} (before a gap)",
                                channel, stale.log.path().getFileName());
                        stale.log.close();
                        Files.delete(stale.log.path());
                    }
                    found.clear();
                } else if (segment.startLast < previous.lastSequence()) {
                    throw new CorruptStoreException("channel " + channel + ": segment " + path.getFileName()
                            + " starts after sequence " + segment.startLast + " but the segment before ends at "
                            + previous.lastSequence());
                }
            }
            segment.log = RecordLog.open(path, result.validEnd(), options.bufferSize());
            found.add(segment);
            if (stop) {
                break;
            }
        }
        for (Segment segment : found) {
            target.recovered(segment);
        }
    }

    private CorruptStoreException corrupt(Path path, RecordLog.ScanResult result) {
        return new CorruptStoreException("channel " + channel + ": " + result.problem() + " at offset "
                + result.validEnd() + " of " + path + ", which is not the channel's last segment; the records "
                + "after it would be lost (set the truncate-bad-eof file option to accept that)");
    }

    /** The records of one segment file. */
    private final class Scan {
        private final int number;
        private final Path path;
        private Segment segment;

        Scan(int number, Path path) {
            this.number = number;
            this.path = path;
        }

        void record(long offset, byte[] payload) {
            RecordReader reader = new RecordReader(payload);
            int type = reader.getByte();
            if (segment == null) {
                if (type != FileMsgStore.HEADER || reader.getInt() != FileMsgStore.SEGMENT_MAGIC) {
                    throw new CorruptStoreException("not a segment file (no header record)");
                }
                int version = reader.getInt();
                if (version != FileMsgStore.VERSION) {
                    throw new CorruptStoreException("unknown segment format version " + version);
                }
                segment = new Segment(number, reader.getLong(), null);
                target.recoveredFloor(reader.getLong());
                return;
            }
            switch (type) {
                case FileMsgStore.MESSAGE -> {
                    long sequence = reader.getLong();
                    if (sequence != segment.lastSequence() + 1) {
                        throw new CorruptStoreException("message " + sequence + " at offset " + offset
                                + " where " + (segment.lastSequence() + 1) + " was expected");
                    }
                    long timestamp = reader.getLong();
                    target.recoveredFloor(reader.getLong());
                    int replyLength = reader.getInt();
                    int dataLength = payload.length - FileMsgStore.MESSAGE_OVERHEAD - replyLength;
                    if (replyLength < 0 || dataLength < 0) {
                        throw new CorruptStoreException("bad reply length " + replyLength + " at offset " + offset);
                    }
                    segment.add(offset, timestamp, io.natsee.streaming.store.StoredMessage.encodedSize(sequence,
                            target.subjectLength(), replyLength, dataLength, timestamp, false, 0, 0));
                }
                case FileMsgStore.FLOOR -> target.recoveredFloor(reader.getLong());
                default -> throw new CorruptStoreException("unknown record type " + type + " at offset " + offset
                        + " of " + path.getFileName());
            }
        }
    }
}
