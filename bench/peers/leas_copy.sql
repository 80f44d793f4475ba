-- "Download LEA Records" as one COPY: the columns of models.directory.record_columns.LEA_COLUMNS,
-- in CDS-code order, times in the session's time zone (America/Los_Angeles) as ISO 8601.
WITH ws AS (
  SELECT lea_id, count(*) AS sampled,
         sum(CASE WHEN prescribed_minutes IS NULL OR provided_minutes IS NULL THEN 1 ELSE 0 END)
           AS missing,
         sum(CASE WHEN prescribed_minutes IS NOT NULL AND provided_minutes IS NOT NULL
                   AND 100 * provided_minutes >= 95 * prescribed_minutes THEN 1 ELSE 0 END) AS a,
         sum(CASE WHEN prescribed_minutes IS NOT NULL AND provided_minutes IS NOT NULL
                   AND 100 * provided_minutes >= 90 * prescribed_minutes
                   AND NOT 100 * provided_minutes >= 95 * prescribed_minutes THEN 1 ELSE 0 END)
           AS b,
         sum(CASE WHEN prescribed_minutes IS NOT NULL AND provided_minutes IS NOT NULL
                   AND 100 * provided_minutes < 90 * prescribed_minutes THEN 1 ELSE 0 END) AS c
  FROM sampled_student WHERE cycle_id = $1 GROUP BY lea_id
)
SELECT l.cds_code, l.name, coalesce(s.code, ''), coalesce(s.name, ''),
       CASE WHEN m.required THEN 'true' ELSE 'false' END,
       coalesce(sub.status, 'NOT_STARTED'),
       sub.count_a, sub.count_b, sub.count_c, sub.count_a + sub.count_b + sub.count_c,
       m.sample_size,
       to_char(sub.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
       coalesce(sub.submitter_email, ''),
       to_char(sub.reviewed_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
       to_char(greatest(c.due_at, coalesce(m.due_at_extension, c.due_at)),
               'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
       CASE WHEN ws.sampled > 0 AND ws.missing = 0 THEN
         CASE WHEN (ws.a, ws.b, ws.c) IS DISTINCT FROM (sub.count_a, sub.count_b, sub.count_c)
              THEN 'true' ELSE 'false' END
       END
FROM lea_cycle m
JOIN lea l ON l.id = m.lea_id
JOIN cycle c ON c.id = m.cycle_id
LEFT JOIN selpa s ON s.id = m.selpa_id
LEFT JOIN submission sub ON sub.cycle_id = m.cycle_id AND sub.lea_id = m.lea_id
LEFT JOIN ws ON ws.lea_id = m.lea_id
WHERE m.cycle_id = $1
ORDER BY l.cds_code
