package org.lastfmgnn.torchscript;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import net.razorvine.pickle.IObjectPickler;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.Pickler;

/**
 * A TorchScript module file, the format {@code torch.jit.save} writes and {@code torch.jit.load} (and DJL's
 * PyTorch engine) reads, made without Python: a zip archive (entries stored, not compressed) of
 * <pre>
 *   &lt;name&gt;/version                     the serialization format (3)
 *   &lt;name&gt;/code/__torch__.py           the module's class, as TorchScript source: libtorch compiles it on load
 *   &lt;name&gt;/data.pkl                    the module object: a pickled class instance whose state holds its tensors
 *   &lt;name&gt;/constants.pkl               the tensor constants of the code (none here: an empty tuple)
 *   &lt;name&gt;/data/&lt;k&gt;                    each tensor's storage, raw little-endian float32
 *   &lt;name&gt;/extra/&lt;file&gt;                 extra files ({@code _extra_files} in PyTorch), e.g. what the model is
 * </pre>
 * The pickles follow PyTorch's own writer (torch/csrc/jit/serialization/pickler.cpp): the object is
 * {@code GLOBAL __torch__ <Class>, EMPTY_TUPLE, NEWOBJ, <state dict>, BUILD}; a tensor is
 * {@code torch._utils._rebuild_tensor_v2(<storage>, offset, size, stride, requires_grad, OrderedDict())} with its
 * storage as a persistent id {@code ('storage', torch.FloatStorage, key, 'cpu', numel)}.
 */
public final class TorchScriptArchive {
    /** The serialization format version written; libtorch 2.x reads 1 to 10. */
    static final int FILE_FORMAT_VERSION = 3;

    /** A float32 tensor: its values, row-major, and its shape. */
    public record Tensor(float[] values, long... shape) {
        public Tensor {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            if (size != values.length) {
                throw new IllegalArgumentException("a tensor of shape " + java.util.Arrays.toString(shape) + " needs " + size
                        + " values, got " + values.length);
            }
        }
    }

    /**
     * @param className  the module's class, defined in {@code code} (e.g. {@code LastfmGcn})
     * @param code       TorchScript source of the class (parameters declared in {@code __parameters__})
     * @param attributes the object's state, in order: tensors, booleans, numbers; must include {@code training}
     * @param extraFiles files under {@code extra/}, by name
     */
    public record Module(String className, String code, Map<String, Object> attributes, Map<String, byte[]> extraFiles) {
    }

    private TorchScriptArchive() {
    }

    /** Writes {@code module} as a TorchScript archive. */
    public static void write(Module module, OutputStream target) throws IOException {
        String root = "archive/";
        List<Tensor> storages = new ArrayList<>();
        byte[] data = new ModulePickler(storages).pickle(module);
        try (ZipOutputStream zip = new ZipOutputStream(target)) {
            stored(zip, root + "version", (FILE_FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, root + "code/__torch__.py", module.code().getBytes(StandardCharsets.UTF_8));
            stored(zip, root + "data.pkl", data);
            stored(zip, root + "constants.pkl", new byte[] {(byte) Opcodes.PROTO, 2, (byte) Opcodes.EMPTY_TUPLE, (byte) Opcodes.STOP});
            for (int k = 0; k < storages.size(); k++) {
                float[] values = storages.get(k).values();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(values);
                stored(zip, root + "data/" + k, bytes.array());
            }
            for (Map.Entry<String, byte[]> extra : module.extraFiles().entrySet()) {
                stored(zip, root + "extra/" + extra.getKey(), extra.getValue());
            }
        }
    }

    public static byte[] bytes(Module module) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(module, out);
        return out.toByteArray();
    }

    /**
     * The extra file {@code name} of a TorchScript archive (any archive root folder), if it has one; an error if
     * {@code archive} is not a zip archive at all.
     */
    public static Optional<byte[]> extraFile(byte[] archive, String name) throws IOException {
        boolean any = false;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                any = true;
                String path = e.getName();
                int slash = path.indexOf('/');
                if (slash >= 0 && path.substring(slash + 1).equals("extra/" + name)) {
                    return Optional.of(zip.readAllBytes());
                }
            }
        }
        if (!any) {
            throw new IOException("not a zip archive (TorchScript files are written by torch.jit.save)");
        }
        return Optional.empty();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    /** A class named by module and name, pickled as a bare GLOBAL (a reference to it, not an instance). */
    private record Global(String module, String name) {
    }

    /** Pickles the module object, collecting its tensors' storages in order (storage k is {@code data/k}). */
    private static final class ModulePickler extends Pickler {
        static {
            registerCustomPickler(Global.class, (IObjectPickler) (o, out, pickler) -> global(out, (Global) o));
            registerCustomPickler(Module.class, (IObjectPickler) (o, out, pickler) -> {
                Module m = (Module) o;
                global(out, new Global("__torch__", m.className()));
                out.write(Opcodes.EMPTY_TUPLE);
                out.write(Opcodes.NEWOBJ);
                pickler.save(m.attributes());
                out.write(Opcodes.BUILD);
            });
            registerCustomPickler(Tensor.class, (IObjectPickler) (o, out, pickler) -> {
                Tensor t = (Tensor) o;
                long[] stride = new long[t.shape().length];
                long step = 1;
                for (int d = stride.length - 1; d >= 0; d--) {
                    stride[d] = step;
                    step *= t.shape()[d];
                }
                global(out, new Global("torch._utils", "_rebuild_tensor_v2"));
                out.write(Opcodes.MARK);
                pickler.save(new StorageOf(t));
                pickler.save(0);
                pickler.save(boxed(t.shape()));
                pickler.save(boxed(stride));
                pickler.save(false);
                global(out, new Global("collections", "OrderedDict"));
                out.write(Opcodes.EMPTY_TUPLE);
                out.write(Opcodes.REDUCE);
                out.write(Opcodes.TUPLE);
                out.write(Opcodes.REDUCE);
            });
        }

        /** The storage of a tensor: pickled only as its persistent id. */
        private record StorageOf(Tensor tensor) {
        }

        private final List<Tensor> storages;

        ModulePickler(List<Tensor> storages) {
            super(false); // no memo: every object here is written once
            this.storages = storages;
        }

        byte[] pickle(Module module) throws IOException {
            return dumps(module);
        }

        @Override
        protected Object persistentId(Object obj) {
            if (obj instanceof StorageOf s) {
                storages.add(s.tensor());
                return new Object[] {"storage", new Global("torch", "FloatStorage"), String.valueOf(storages.size() - 1),
                    "cpu", s.tensor().values().length};
            }
            return null;
        }

        private static Object[] boxed(long[] values) {
            Object[] out = new Object[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i];
            }
            return out;
        }

        private static void global(OutputStream out, Global g) throws IOException {
            out.write(Opcodes.GLOBAL);
            out.write((g.module() + "\n" + g.name() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
