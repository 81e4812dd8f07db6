#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	XXXX-XX-XX-XX-XX-XX
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	ip_proto	community_id	outcome	orig_state	resp_state	syn_retries	handshake_rtt_ms	retransmits	time_wait_at_end	reused_time_wait	midstream	continues	continued_in
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	count	string	string	string	string	count	double	count	bool	bool	bool	string	string
1796311238.944789	C9DTeO1QG544Z76nb5	10.200.0.1	40000	10.200.0.2	8080	tcp	-	-	-	-	S0	-	-	0	S	1	60	0	0	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	continued	syn-sent	closed	0	-	0	F	F	F	-	CHGFc92gymzYx0WkWc
1796311238.944865	CHGFc92gymzYx0WkWc	10.200.0.2	8080	10.200.0.1	40000	tcp	-	-	-	-	S0	-	-	0	S	1	60	0	0	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	continued	syn-sent	syn-sent	0	-	0	F	F	F	C9DTeO1QG544Z76nb5	CXiywr1NH3fhtzLhyc
1796311239.976287	CXiywr1NH3fhtzLhyc	10.200.0.1	40000	10.200.0.2	8080	tcp	-	-	-	-	S0	-	-	0	S	1	60	0	0	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	continued	syn-sent	syn-sent	1	-	0	F	F	F	CHGFc92gymzYx0WkWc	CHGpmy0GxxQmbR1dA1
1796311239.976339	CHGpmy0GxxQmbR1dA1	10.200.0.2	8080	10.200.0.1	40000	tcp	-	0.100832	1000	100	SF	-	-	0	ShaAdDfF	6	1340	6	432	-	6	1:Eg5WjIzNoVcFULSmgGcthZKFhTs=	complete	closed	time-wait	1	0.097000	0	T	F	F	CXiywr1NH3fhtzLhyc	-
#close	XXXX-XX-XX-XX-XX-XX
